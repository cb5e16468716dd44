/** See merge-updates.mjs. */
export function mergeAll(updates: Uint8Array[], packed: Uint8Array | null): { state: Uint8Array; stateVector: Uint8Array };
export function unpackUpdates(packed: Uint8Array): Uint8Array[];
export const PACKED_UPDATES_SQL: string;
