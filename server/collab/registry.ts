import type { createCollabServer } from './collab-server';

type Collab = ReturnType<typeof createCollabServer>;

// Route handlers (in Next's bundle) reach the process's collaboration server through globalThis.
const KEY = Symbol.for('kb.collab');
const holder = globalThis as { [KEY]?: Collab };

export function registerCollab(collab: Collab): void {
  holder[KEY] = collab;
}

/** The running collaboration server (live docs, the update log). */
export function getCollab(): Collab {
  const collab = holder[KEY];
  if (!collab) throw new Error('The collaboration server is not running in this process.');
  return collab;
}
