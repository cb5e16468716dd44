/** A section the table of contents lists: its anchor, its depth (1 = top) and its number ("2.1"). */
export type ContentsEntry = { id: string; depth: number; number: string; text: string };

/**
 * An article's table of contents, as Wikipedia shows one after the lead: each section numbered
 * and linked to its heading. It folds away (a native disclosure: Enter or Space on "Contents").
 */
export function TableOfContents({ entries }: { entries: ContentsEntry[] }) {
  return (
    <nav aria-label="Contents" className="toc font-sans text-sm border border-line bg-wash rounded px-4 py-3 my-4 w-fit max-w-full">
      <details open>
        <summary className="cursor-pointer font-semibold min-h-6 py-0.5">Contents</summary>
        <ol className="mt-2 space-y-1">
          {entries.map((entry) => (
            <li key={entry.id} style={{ paddingLeft: `${(entry.depth - 1) * 1.25}rem` }}>
              <a href={`#${encodeURIComponent(entry.id)}`} className="inline-block min-h-6">
                <span className="text-muted tabular-nums mr-1">{entry.number}</span>
                {` ${entry.text}`}
              </a>
            </li>
          ))}
        </ol>
      </details>
    </nav>
  );
}
