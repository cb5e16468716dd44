import * as Y from 'yjs';

/**
 * Edits the server may not have yet, kept in this browser's storage until it has them: a
 * reload, a closed tab or a crash while offline loses none of them. One entry per user and
 * page; signing out removes them all (a shared computer keeps nobody's text).
 */
const PREFIX = 'kb:unsent:';
/** An entry bigger than this (base64 characters) is not kept; the page warns before closing instead. */
export const MAX_UNSENT_CHARS = 1_000_000;

export type UnsentEdits = {
  /** What was kept last time (a Yjs update), or null. */
  load(): Uint8Array | null;
  /**
   * Keeps `update` (everything the server may lack) together with what is kept already (another
   * tab's, say); false if the browser refused or it is too big.
   */
  keep(update: Uint8Array): boolean;
  clear(): void;
};

/** Counts sign-outs in this page: a store made before one keeps nothing more (its editor is closing). */
let signOuts = 0;

export function unsentEdits(storage: Storage | null, username: string, entityId: string): UnsentEdits {
  const key = `${PREFIX}${username}:${entityId}`;
  const madeAfter = signOuts;
  const store: UnsentEdits = {
    load() {
      try {
        const kept = storage?.getItem(key);
        if (!kept) return null;
        const update = base64ToBytes(kept);
        Y.decodeUpdate(update); // throws on anything that is not an update
        return update;
      } catch {
        store.clear(); // not an update (or storage disabled): nothing to send
        return null;
      }
    },
    keep(update) {
      try {
        const before = store.load();
        const encoded = bytesToBase64(before ? Y.mergeUpdates([before, update]) : update);
        if (!storage || encoded.length > MAX_UNSENT_CHARS || madeAfter !== signOuts) return false;
        storage.setItem(key, encoded);
        return true;
      } catch {
        return false; // quota exceeded, or storage disabled
      }
    },
    clear() {
      try {
        storage?.removeItem(key);
      } catch {
        // storage disabled: nothing was kept
      }
    },
  };
  return store;
}

function keptKeys(storage: Storage | null): string[] {
  try {
    if (!storage) return [];
    return Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => k?.startsWith(PREFIX) ?? false);
  } catch {
    return []; // storage disabled: nothing was kept
  }
}

/** How many pages have edits kept in this browser. */
export function unsentEditCount(storage: Storage | null): number {
  return keptKeys(storage).length;
}

/** Removes every user's kept edits from this browser, and keeps no more from editors open now (on sign-out). */
export function forgetAllUnsentEdits(storage: Storage | null): void {
  signOuts++;
  for (const key of keptKeys(storage)) storage?.removeItem(key);
}

/** The page's localStorage, or null where the browser denies it. */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
