import { EventEmitter } from 'node:events';

/** A credential was revoked, a user's memberships changed, or an entity's access settings changed. */
export type AuthChange = { kind: 'session' | 'token' | 'user' | 'entity'; id: string };

// One bus per process, shared by Next's route handlers and the collaboration server.
const KEY = Symbol.for('kb.auth-events');
const holder = globalThis as { [KEY]?: EventEmitter };

/** In-process notifications of revocations and permission changes, so open sockets are re-checked at once. */
export function authEvents(): EventEmitter {
  holder[KEY] ??= new EventEmitter().setMaxListeners(0);
  return holder[KEY];
}

export function announceAuthChange(change: AuthChange): void {
  authEvents().emit('change', change);
}
