/** Lower-case, accents stripped, punctuation folded to spaces: how names are compared ("Zinov’yev" ≈ "zinovyev"). */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’'‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A URL slug from a title: Unicode letters kept (accents stripped), words joined by '-'. */
export function slugify(title: string): string {
  return normalizeName(title).replace(/ /g, '-').slice(0, 120) || 'untitled';
}
