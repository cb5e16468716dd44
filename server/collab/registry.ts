import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EntityContent } from '@/server/docs/entity-doc';
import { ApiError } from '@/server/http/api';
import type { DocAuthorship } from '@/server/docs/authorship';

/** What the collaboration server reads of an upgrade request (a socket handed to another process keeps only this). */
export type UpgradeRequest = { method?: string; url?: string; headers: IncomingHttpHeaders };

/** The collaboration server, in this process (`collab-server.ts`) or in its own (`child.ts`). */
export type Collab = {
  /** Handles an HTTP upgrade on `/collab/<entityId>`. */
  handleUpgrade(req: UpgradeRequest, socket: Duplex, head: Buffer): void;
  /** The entity's current content, with every received update persisted first; null when there is no such entity. */
  currentContent(entityId: string): Promise<EntityContent | null>;
  /** Which Yjs client inserted each piece of the entity's current content, updates persisted first; null when there is no such entity. */
  currentAuthorship(entityId: string): Promise<DocAuthorship | null>;
  /**
   * When the entity's doc is open here, or another instance announced an edit of it a moment
   * ago: its projections (page, search) brought up to every edit received so far (a refresh
   * waiting for a pause in the typing runs now, here or on that instance) and true, so the
   * caller reads them again; false, at once, otherwise.
   */
  projected(entityId: string): Promise<boolean>;
  /** Makes the entity's doc hold `content` as a normal edit that connected editors see at once; the content after it, or null. */
  restoreContent(entityId: string, userId: string | null, content: EntityContent): Promise<EntityContent | null>;
  /** Closes every socket and writes everything pending. */
  close(): Promise<void>;
};

/**
 * The collaboration server is not there to answer (its own process is restarting). Recognised
 * by name: Next's bundle and server/ each have their own copy of this module.
 */
export class CollabUnavailable extends Error {
  override name = 'CollabUnavailable';
  constructor() {
    super('Live editing is restarting; try again in a moment.');
  }
}

export function isCollabUnavailable(err: unknown): boolean {
  return (err as Error | null)?.name === 'CollabUnavailable';
}

/** For `.catch` on a call: a 503 while the collaboration server's own process restarts (the caller may simply retry). */
export function unavailableAsApiError(err: unknown): never {
  if (isCollabUnavailable(err)) throw new ApiError('unavailable', (err as Error).message);
  throw err;
}

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
