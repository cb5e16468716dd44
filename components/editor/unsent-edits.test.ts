import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { forgetAllUnsentEdits, MAX_UNSENT_CHARS, unsentEditCount, unsentEdits } from './unsent-edits';

/** The Web Storage interface over a Map, with an optional quota in characters (as browsers have). */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  constructor(private quota = Infinity) {}
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.items].reduce((n, [k, v]) => n + (k === key ? 0 : v.length), 0);
    if (used + value.length > this.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

function edited(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('edits kept in the browser until the server has them', () => {
  it('gives back what was kept, for that user and page only, until cleared', () => {
    const storage = new MemoryStorage();
    const ann = unsentEdits(storage, 'ann', 'page-1');
    expect(ann.keep(edited('typed offline'))).toBe(true);
    const back = new Y.Doc();
    Y.applyUpdate(back, ann.load()!);
    expect(back.getText('t').toString()).toBe('typed offline');
    expect(unsentEdits(storage, 'bob', 'page-1').load()).toBeNull();
    expect(unsentEdits(storage, 'ann', 'page-2').load()).toBeNull();
    ann.clear();
    expect(ann.load()).toBeNull();
  });

  it('keeps what two tabs typed offline on one page together', () => {
    const storage = new MemoryStorage();
    const [tab1, tab2] = [new Y.Doc(), new Y.Doc()];
    tab1.getText('t').insert(0, 'one ');
    tab2.getText('t').insert(0, 'two ');
    unsentEdits(storage, 'ann', 'p').keep(Y.encodeStateAsUpdate(tab1));
    unsentEdits(storage, 'ann', 'p').keep(Y.encodeStateAsUpdate(tab2));
    tab1.getText('t').insert(4, 'more ');
    unsentEdits(storage, 'ann', 'p').keep(Y.encodeStateAsUpdate(tab1)); // again, with more: nothing twice
    const back = new Y.Doc();
    Y.applyUpdate(back, unsentEdits(storage, 'ann', 'p').load()!);
    expect(back.getText('t').toString().split(' ').sort()).toEqual(['', 'more', 'one', 'two']);
  });

  it('says so when the browser refuses (quota, too big, no storage), and never throws', () => {
    expect(unsentEdits(new MemoryStorage(10), 'ann', 'p').keep(edited('more than ten characters'))).toBe(false);
    expect(unsentEdits(null, 'ann', 'p').keep(edited('x'))).toBe(false);
    expect(unsentEdits(null, 'ann', 'p').load()).toBeNull();
    const denied = new MemoryStorage();
    denied.getItem = denied.setItem = denied.removeItem = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const store = unsentEdits(denied, 'ann', 'p');
    expect(store.load()).toBeNull();
    expect(store.keep(edited('x'))).toBe(false);
    expect(() => store.clear()).not.toThrow();
    const huge = new Uint8Array(MAX_UNSENT_CHARS); // base64 makes it a third bigger
    expect(unsentEdits(new MemoryStorage(), 'ann', 'p').keep(huge)).toBe(false);
  });

  it('drops a kept entry that is not an update', () => {
    const storage = new MemoryStorage();
    storage.setItem('kb:unsent:ann:p', btoa('\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff'));
    expect(unsentEdits(storage, 'ann', 'p').load()).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('counts and forgets every page kept (sign-out), leaving other keys alone', () => {
    const storage = new MemoryStorage();
    unsentEdits(storage, 'ann', 'p1').keep(edited('a'));
    unsentEdits(storage, 'bob', 'p2').keep(edited('b'));
    storage.setItem('theme', 'dark');
    expect(unsentEditCount(storage)).toBe(2);
    forgetAllUnsentEdits(storage);
    expect(unsentEditCount(storage)).toBe(0);
    expect(storage.getItem('theme')).toBe('dark');
  });

  it('keeps nothing more from a store made before a sign-out (its editor is closing), but does for a new one', () => {
    const storage = new MemoryStorage();
    const before = unsentEdits(storage, 'ann', 'p');
    forgetAllUnsentEdits(storage);
    expect(before.keep(edited('typed as the page closes'))).toBe(false);
    expect(unsentEditCount(storage)).toBe(0);
    expect(unsentEdits(storage, 'bob', 'p').keep(edited('b'))).toBe(true);
  });
});
