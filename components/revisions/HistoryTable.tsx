'use client';

import { formatDelta, KIND_LABELS } from './format';

/** One row of a page's history, as plain data (the page's payload carries these, not a rendered table). */
export type HistoryRow = { id: string; number: number; when: string; authors: string[]; summary: string | null; sizeDelta: number; kind: string };

/**
 * The history table with a "from" and "to" radio per revision (when there are two to
 * compare), for the compare form around it. A client component on purpose: the page's RSC payload then holds ~150 bytes of data per
 * row instead of the ~1.3 KB of its rendered cells, which Next would serialise, embed in the
 * HTML and parse again on every request.
 */
export function HistoryTable({ rows, comparable }: { rows: HistoryRow[]; comparable: boolean }) {
  return (
    <div className="overflow-x-auto bg-white border border-line rounded">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted border-b border-line">
            {comparable && <><th className="p-2">From</th><th className="p-2">To</th></>}<th className="p-2">Revision</th><th className="p-2">Date</th><th className="p-2">Authors</th><th className="p-2">Summary</th><th className="p-2 text-right">Size</th><th className="p-2">Kind</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((r, i) => (
            <tr key={r.id}>
              {comparable && (
                <>
                  <td className="p-2"><input type="radio" name="from" value={r.id} defaultChecked={i === 1} aria-label={`Compare from revision ${r.number}`} /></td>
                  <td className="p-2"><input type="radio" name="to" value={r.id} defaultChecked={i === 0} aria-label={`Compare to revision ${r.number}`} /></td>
                </>
              )}
              <td className="p-2"><a href={`/revisions/${r.id}`}>{r.number}</a></td>
              <td className="p-2 whitespace-nowrap">{r.when}</td>
              <td className="p-2">{r.authors.length ? r.authors.map((a) => <a key={a} href={`/users/${a}`} className="mr-1">{a}</a>) : <span className="text-muted">—</span>}</td>
              <td className="p-2">{r.summary || <span className="text-muted">—</span>}</td>
              <td className={`p-2 text-right tabular-nums ${r.sizeDelta > 0 ? 'text-emerald-800' : r.sizeDelta < 0 ? 'text-red-800' : ''}`}>{formatDelta(r.sizeDelta)}</td>
              <td className="p-2">{KIND_LABELS[r.kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
