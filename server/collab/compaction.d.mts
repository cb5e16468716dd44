/** See compaction.mjs. */
type Merged = { state: Uint8Array; stateVector: Uint8Array };
export function compactWith(
  query: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  merge: (updates: Uint8Array[], packed: Uint8Array | null) => Promise<Merged> | Merged,
  entityId: string,
  unlogged: Uint8Array | null,
): Promise<boolean>;
