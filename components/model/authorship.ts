/** One author of a page's current text; `id` null for text no account is recorded for (the seed import). */
export type PageAuthor = { id: string | null; username: string | null; chars: number; share: number };

/** Who wrote what is on a page now: each run, field and relation points into `authors`. */
export type PageAuthorship = {
  authors: PageAuthor[];
  /** Paragraphs and headings; `within` says what they sit in (a list, a quote, a table). */
  blocks: { kind: 'paragraph' | 'heading'; level: number; within: 'list' | 'quote' | 'table' | null; runs: { text: string; author: number }[] }[];
  /** Each field's value, and its text in runs of one author each. */
  fields: { key: string; value: unknown; runs: { text: string; author: number }[] }[];
  statements: { predicate: string; targetEntityId: string; author: number }[];
};
