/** One search result, as the query returns it and the results list shows it. */
export type SearchHit = {
  id: string;
  slug: string;
  title: string;
  type: string;
  summary: string;
  /** How it matched: its title or an alias (with the alias), a close spelling, or the text. */
  match: 'title' | 'alias' | 'fuzzy' | 'text';
  matchedName: string | null;
  /** For text matches: a passage with `[[[`…`]]]` around the matching words. */
  snippet: string | null;
};
