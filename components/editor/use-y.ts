'use client';

import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';

/** A plain snapshot of a Y type, re-read whenever it (or anything inside it) changes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Y type (Map, Array, XmlFragment)
export function useYSnapshot<T>(type: Y.AbstractType<any>, read: () => T): T {
  const cache = useSyncExternalStore(
    (onChange) => {
      type.observeDeep(onChange);
      return () => type.unobserveDeep(onChange);
    },
    () => JSON.stringify(read()),
    () => JSON.stringify(read()),
  );
  return JSON.parse(cache) as T;
}
