import type { BodyJson } from '@/db/schema';
import type { EntityContent, Statement } from '@/server/docs/entity-doc';
import { bodyToText } from '@/server/docs/body-text';

export type Op = 'same' | 'added' | 'removed';
export type WordOp = { op: Op; text: string };
export type BlockDiff =
  | { op: 'same' | 'added' | 'removed'; kind: string; text: string }
  | { op: 'changed'; kind: string; before: string; after: string; words: WordOp[] };
export type FieldChange = { field: string; before: unknown; after: unknown };
export type StatementChange = { op: 'added' | 'removed'; statement: Pick<Statement, 'predicate' | 'targetEntityId' | 'qualifiers'> };
export type ContentDiff = {
  fields: FieldChange[];
  statements: StatementChange[];
  blocks: BlockDiff[];
  stats: { wordsAdded: number; wordsRemoved: number; blocksChanged: number };
};

/** Above this many DP cells an LCS is not attempted; the span is shown as replaced. */
const MAX_CELLS = 4_000_000;

/**
 * Longest-common-subsequence edit script between two sequences, after trimming their common
 * prefix and suffix (so a local change costs little however long the text).
 */
export function diffSequences<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean = (x, y) => x === y): { op: Op; item: T }[] {
  let start = 0;
  while (start < a.length && start < b.length && eq(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && eq(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((item) => ({ op: 'same' as const, item }));
  const tail = a.slice(endA).map((item) => ({ op: 'same' as const, item }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  const middle: { op: Op; item: T }[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    middle.push(...midA.map((item) => ({ op: 'removed' as const, item })), ...midB.map((item) => ({ op: 'added' as const, item })));
  } else {
    // lengths[i][j]: LCS length of midA[i..] and midB[j..], in one flat array.
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] = eq(midA[i], midB[j]) ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (eq(midA[i], midB[j])) {
        middle.push({ op: 'same', item: midA[i] });
        i++;
        j++;
      } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
        middle.push({ op: 'removed', item: midA[i++] });
      } else {
        middle.push({ op: 'added', item: midB[j++] });
      }
    }
    while (i < n) middle.push({ op: 'removed', item: midA[i++] });
    while (j < m) middle.push({ op: 'added', item: midB[j++] });
  }
  return [...head, ...middle, ...tail];
}

/** Word-level changes between two texts (whitespace kept with the words, so they join back). */
export function diffWords(before: string, after: string): WordOp[] {
  const tokens = (s: string) => s.match(/\s+|[^\s]+/g) ?? [];
  const ops: WordOp[] = [];
  for (const { op, item } of diffSequences(tokens(before), tokens(after))) {
    const last = ops.at(-1);
    if (last && last.op === op) last.text += item;
    else ops.push({ op, text: item });
  }
  return ops;
}

type Block = { kind: string; text: string };

function blocksOf(body: BodyJson): Block[] {
  return (body.content ?? []).map((node) => ({
    kind: node.type === 'heading' ? `heading${node.attrs?.level ?? 2}` : node.type,
    text: bodyToText(node).trim(),
  }));
}

const statementKey = (s: Pick<Statement, 'predicate' | 'targetEntityId' | 'qualifiers'>) =>
  JSON.stringify([s.predicate, s.targetEntityId, s.qualifiers?.date ?? null, s.qualifiers?.role ?? null]);

/**
 * What changed from `a` to `b`: infobox fields one by one, relations added and removed, and
 * the body block by block, with word-level changes inside blocks that were edited.
 */
export function diffContents(a: EntityContent, b: EntityContent): ContentDiff {
  const fields: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort()) {
    if (JSON.stringify(a.fields[field]) !== JSON.stringify(b.fields[field])) fields.push({ field, before: a.fields[field] ?? null, after: b.fields[field] ?? null });
  }

  const beforeKeys = new Set(a.statements.map(statementKey));
  const afterKeys = new Set(b.statements.map(statementKey));
  const pick = (s: Statement) => ({ predicate: s.predicate, targetEntityId: s.targetEntityId, qualifiers: s.qualifiers ?? {} });
  const statements: StatementChange[] = [
    ...a.statements.filter((s) => !afterKeys.has(statementKey(s))).map((s) => ({ op: 'removed' as const, statement: pick(s) })),
    ...b.statements.filter((s) => !beforeKeys.has(statementKey(s))).map((s) => ({ op: 'added' as const, statement: pick(s) })),
  ];

  const script = diffSequences(blocksOf(a.body), blocksOf(b.body), (x, y) => x.kind === y.kind && x.text === y.text);
  const blocks: BlockDiff[] = [];
  const stats = { wordsAdded: 0, wordsRemoved: 0, blocksChanged: 0 };
  for (let i = 0; i < script.length; ) {
    if (script[i].op === 'same') {
      blocks.push({ op: 'same', ...script[i].item });
      i++;
      continue;
    }
    // A run of removals and additions: pair them up as edited blocks, in order.
    const removed: Block[] = [];
    const added: Block[] = [];
    while (i < script.length && script[i].op !== 'same') (script[i].op === 'removed' ? removed : added).push(script[i++].item);
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++) {
      const words = diffWords(removed[k].text, added[k].text);
      blocks.push({ op: 'changed', kind: added[k].kind, before: removed[k].text, after: added[k].text, words });
    }
    for (const block of removed.slice(paired)) blocks.push({ op: 'removed', ...block });
    for (const block of added.slice(paired)) blocks.push({ op: 'added', ...block });
  }
  const countWords = (text: string) => (text.match(/\S+/g) ?? []).length;
  for (const block of blocks) {
    if (block.op === 'added') stats.wordsAdded += countWords(block.text);
    else if (block.op === 'removed') stats.wordsRemoved += countWords(block.text);
    else if (block.op === 'changed') {
      stats.blocksChanged++;
      for (const w of block.words) {
        if (w.op === 'added') stats.wordsAdded += countWords(w.text);
        if (w.op === 'removed') stats.wordsRemoved += countWords(w.text);
      }
    }
  }
  return { fields, statements, blocks, stats };
}
