import { describe, expect, it } from 'vitest';
import type { EntityContent } from '@/server/docs/entity-doc';
import { diffContents, diffSequences, diffWords } from './diff';

const para = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const content = (blocks: string[], fields: Record<string, unknown> = { title: 'T' }, statements: EntityContent['statements'] = []): EntityContent => ({
  fields,
  statements,
  body: { type: 'doc', content: blocks.map(para) },
});

describe('diffSequences', () => {
  it('finds the longest common subsequence', () => {
    const ops = diffSequences('ABCBDAB'.split(''), 'BDCABA'.split(''));
    expect(ops.filter((o) => o.op === 'same').length).toBe(4);
    expect(ops.filter((o) => o.op !== 'added').map((o) => o.item).join('')).toBe('ABCBDAB');
    expect(ops.filter((o) => o.op !== 'removed').map((o) => o.item).join('')).toBe('BDCABA');
  });
});

describe('diffWords', () => {
  it('marks inserted and deleted words and joins back to both texts', () => {
    const ops = diffWords('Borodin advised the KMT in Canton.', 'Borodin advised the Left KMT in Wuhan.');
    expect(ops.filter((o) => o.op !== 'added').map((o) => o.text).join('')).toBe('Borodin advised the KMT in Canton.');
    expect(ops.filter((o) => o.op !== 'removed').map((o) => o.text).join('')).toBe('Borodin advised the Left KMT in Wuhan.');
    expect(ops.filter((o) => o.op === 'added').map((o) => o.text.trim())).toEqual(['Left', 'Wuhan.']);
    expect(ops.filter((o) => o.op === 'removed').map((o) => o.text.trim())).toEqual(['Canton.']);
  });
});

describe('diffContents', () => {
  it('reports unchanged content as no change', () => {
    const a = content(['One.', 'Two.']);
    const d = diffContents(a, a);
    expect(d.fields).toEqual([]);
    expect(d.statements).toEqual([]);
    expect(d.blocks.every((b) => b.op === 'same')).toBe(true);
  });

  it('finds an inserted block, a deleted block and an edited block', () => {
    const d = diffContents(content(['Alpha.', 'Beta gamma.', 'Delta.']), content(['New first.', 'Alpha.', 'Beta GAMMA.']));
    expect(d.blocks.map((b) => b.op)).toEqual(['added', 'same', 'changed', 'removed']);
    const changed = d.blocks[2];
    expect(changed.op === 'changed' && changed.words.find((w) => w.op === 'added')?.text).toBe('GAMMA.');
    expect(d.stats).toEqual({ wordsAdded: 3, wordsRemoved: 2, blocksChanged: 1 });
  });

  it('compares fields one by one and relations as added or removed', () => {
    const s1 = { id: '1', predicate: 'member_of', targetEntityId: 'x', qualifiers: {}, citations: [] };
    const s2 = { id: '2', predicate: 'advised', targetEntityId: 'y', qualifiers: { date: '1923' }, citations: [] };
    const d = diffContents(content([], { title: 'A', born: '1884' }, [s1]), content([], { title: 'B', died: '1951' }, [s1, s2]));
    expect(d.fields).toEqual([
      { field: 'born', before: '1884', after: null },
      { field: 'died', before: null, after: '1951' },
      { field: 'title', before: 'A', after: 'B' },
    ]);
    expect(d.statements).toEqual([{ op: 'added', statement: { predicate: 'advised', targetEntityId: 'y', qualifiers: { date: '1923' } } }]);
  });
});
