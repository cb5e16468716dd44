/** The site search: a plain GET form, so it works without JavaScript and from the keyboard. */
export function SearchBox({ defaultValue = '', autoFocus = false }: { defaultValue?: string; autoFocus?: boolean }) {
  return (
    <form role="search" action="/search" method="get" className="flex">
      <label htmlFor={autoFocus ? 'search-page-q' : 'site-search-q'} className="sr-only">
        Search the wiki
      </label>
      <input
        id={autoFocus ? 'search-page-q' : 'site-search-q'}
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
