/**
 * The site search: a plain GET form, so it works without JavaScript and from the keyboard.
 * The header has one on every page; a page may add its own (`inHeader` false), named apart.
 */
export function SearchBox({ defaultValue = '', autoFocus = false, inHeader = false }: { defaultValue?: string; autoFocus?: boolean; inHeader?: boolean }) {
  const id = inHeader ? 'site-search-q' : 'page-search-q';
  return (
    <form role="search" aria-label={inHeader ? 'Site search' : 'Search the wiki'} action="/search" method="get" className="flex">
      <label htmlFor={id} className="sr-only">
        Search the wiki
      </label>
      <input
        id={id}
        name="q"
        type="search"
        defaultValue={defaultValue}
        autoFocus={autoFocus}
        maxLength={200}
        placeholder="Search people, parties, treaties, events…"
        className="w-full rounded-l border border-line px-3 py-1.5 text-base bg-white focus:border-accent"
      />
      <button type="submit" className="rounded-r border border-l-0 border-line bg-accent px-4 text-white hover:bg-accent-dark">
        Search
      </button>
    </form>
  );
}
