import * as Y from 'yjs';
import type { PageAuthorship } from '@/components/model/authorship';
import { asStatement, latestStatements } from '@/components/model/statements';
import { fieldSource, fieldValue } from '@/components/model/field-text';
import { BODY, FIELDS, STATEMENTS, type Statement } from './entity-doc';

// Who wrote what is on a page now. Every piece of a Yjs document carries the client id of the
// editor that inserted it, and the collaboration server records which user each client id
// belongs to (entity_clients). This reads the pieces of the live doc with their client ids;
// the caller maps client ids to users.

/** A stretch of text inserted by one client (adjacent pieces of one client are joined). */
export type AuthorshipRun = { text: string; client: number };
/** A paragraph or heading of the body; `within` says what it sits in (a list, a quote, a table). */
export type AuthorshipBlock = Omit<PageAuthorship['blocks'][number], 'runs'> & { runs: AuthorshipRun[] };
export type DocAuthorship = {
  blocks: AuthorshipBlock[];
  /** Each infobox field's value and who wrote each stretch of its text. */
  fields: { key: string; value: unknown; runs: AuthorshipRun[] }[];
  /** Who added each relation. */
  statements: { statement: Statement; client: number }[];
};

const CONTAINERS: Record<string, AuthorshipBlock['within']> = { bulletList: 'list', orderedList: 'list', listItem: 'list', blockquote: 'quote', table: 'table', tableRow: 'table', tableCell: 'table', tableHeader: 'table' };

/** What an inline node shows as text (an entity link its label, a citation a marker). */
function inlineText(element: Y.XmlElement): string {
  switch (element.nodeName) {
    case 'hardBreak':
      return '\n';
    case 'entityLink':
      return String(element.getAttribute('label') ?? '') || '[link]';
    case 'citation':
      return '[citation]';
    default:
      return '';
  }
}

/** Adds a run of text, joined to the last one when both have the same `key` (the client, or the author). */
export function addRun<R extends { text: string }>(runs: R[], run: R, key: keyof R): void {
  if (!run.text) return;
  const last = runs[runs.length - 1];
  if (last && last[key] === run[key]) last.text += run.text;
  else runs.push({ ...run });
}

/** The runs of a text's characters, by the client that inserted them. */
function stringRuns(text: Y.Text, runs: AuthorshipRun[] = []): AuthorshipRun[] {
  for (let item = text._start; item; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) addRun(runs, { text: item.content.str, client: item.id.client }, 'client');
  }
  return runs;
}

function textRuns(element: Y.XmlElement): AuthorshipRun[] {
  const runs: AuthorshipRun[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      stringRuns(child, runs);
    } else if (child instanceof Y.XmlElement && child._item) {
      addRun(runs, { text: inlineText(child), client: child._item.id.client }, 'client');
    }
  }
  return runs;
}

function collectBlocks(parent: Y.XmlFragment | Y.XmlElement, within: AuthorshipBlock['within'], blocks: AuthorshipBlock[]): void {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === 'paragraph' || child.nodeName === 'heading') {
      const level = child.nodeName === 'heading' ? Math.min(Math.max(Number(child.getAttribute('level')) || 2, 2), 4) : 0;
      blocks.push({ kind: child.nodeName, level, within, runs: textRuns(child) });
    } else if (child.nodeName in CONTAINERS) {
      collectBlocks(child, within ?? CONTAINERS[child.nodeName], blocks);
    }
  }
}

/** The client id behind every piece of the doc's body, fields and relations as they are now. */
export function docAuthorship(doc: Y.Doc): DocAuthorship {
  const blocks: AuthorshipBlock[] = [];
  collectBlocks(doc.getXmlFragment(BODY), null, blocks);
  const fields: DocAuthorship['fields'] = [];
  for (const [key, item] of doc.getMap(FIELDS)._map) {
    if (item.deleted) continue;
    const raw = doc.getMap(FIELDS).get(key);
    const value = fieldValue(key, raw);
    if (value === undefined) continue;
    // A field's text was typed character by character; a plain value (an older doc) was set whole.
    fields.push({ key, value, runs: raw instanceof Y.Text ? stringRuns(raw) : [{ text: fieldSource(raw) || JSON.stringify(raw), client: item.id.client }] });
  }
  const statements: DocAuthorship['statements'] = [];
  for (let item = doc.getArray<Statement>(STATEMENTS)._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) continue;
    for (const statement of item.content.arr as Statement[]) statements.push({ statement, client: item.id.client });
  }
  // The statements people see (statements.ts): well-formed ones, and of two changed at once the
  // later (a changed statement is a new entry by whoever changed it).
  const wellFormed = statements.filter((s) => asStatement(s.statement) !== null);
  const shown = new Set(latestStatements(wellFormed.map((s) => s.statement)));
  return { blocks, fields, statements: wellFormed.filter((s) => shown.has(s.statement)) };
}

/** Every client id the authorship names. */
export function authorshipClients(authorship: DocAuthorship): number[] {
  const clients = new Set<number>();
  for (const block of authorship.blocks) for (const run of block.runs) clients.add(run.client);
  for (const field of authorship.fields) for (const run of field.runs) clients.add(run.client);
  for (const s of authorship.statements) clients.add(s.client);
  return [...clients];
}
