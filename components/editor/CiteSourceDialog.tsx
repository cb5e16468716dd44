'use client';

import { useEffect, useRef, useState } from 'react';
import { callApi } from '@/components/lib/api-client';
import { findPassage } from '@/components/model/find-passage';
import type { CitationAttrs } from '@/components/editor/schema/citation';

type SourceSummary = { id: string; title: string };
type SourceText = { id: string; title: string; text: string };

const MAX_QUOTE = 2000;

/** The [start, end) of the current selection inside `box`'s single text node, or null. */
function selectionOffsets(box: HTMLElement): [number, number] | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const node = box.firstChild;
  if (!node || range.startContainer !== node || range.endContainer !== node || range.collapsed) return null;
  return [range.startOffset, range.endOffset];
}

/**
 * "Cite source": pick a source document, find the passage (search), select the exact span,
 * and insert a citation holding the verbatim quote and its offsets.
 */
export function CiteSourceDialog({
  onInsert,
  onClose,
  title = 'Cite a source',
  action = 'Insert citation',
}: {
  onInsert: (citation: CitationAttrs) => void;
  onClose: () => void;
  /** @default 'Cite a source' */
  title?: string;
  /** What the button that takes the passage says. @default 'Insert citation' */
  action?: string;
}) {
  const [sources, setSources] = useState<SourceSummary[]>([]);
  const [source, setSource] = useState<SourceText | null>(null);
  const [query, setQuery] = useState('');
  const [span, setSpan] = useState<[number, number] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const searchFrom = useRef(0);

  useEffect(() => {
    dialog.current?.showModal();
    callApi<{ items: SourceSummary[] }>('GET', '/api/sources').then((r) => setSources(r.items), (e: Error) => setMessage(e.message));
  }, []);

  async function pick(id: string) {
    setSpan(null);
    setMessage(null);
    searchFrom.current = 0;
    try {
      setSource(id ? await callApi<SourceText>('GET', `/api/sources/${id}`) : null);
    } catch (err) {
      setSource(null);
      setMessage((err as Error).message); // e.g. offline: said in the dialog, not lost in the console
    }
  }

  /** Selects the next occurrence of the search text (as a browser's find: any case, any spaces or quotes), so it can be cited as is or adjusted. */
  function findNext() {
    if (!source || !box.current?.firstChild || !query.trim()) return;
    const found = findPassage(source.text, query, searchFrom.current);
    if (!found) return setMessage(`“${query.trim()}” does not occur in this source.`);
    setMessage(null);
    searchFrom.current = found.start + 1;
    const range = document.createRange();
    range.setStart(box.current.firstChild, found.start);
    range.setEnd(box.current.firstChild, found.end);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    setSpan([found.start, found.end]);
    range.startContainer.parentElement?.scrollIntoView({ block: 'nearest' });
    const rect = range.getBoundingClientRect();
    const boxRect = box.current.getBoundingClientRect();
    box.current.scrollTop += rect.top - boxRect.top - boxRect.height / 3;
  }

  function insert() {
    if (!source || !span) return;
    const [start, end] = span;
    if (end - start > MAX_QUOTE) return setMessage(`Cite at most ${MAX_QUOTE} characters.`);
    onInsert({ sourceId: source.id, start, end, quote: source.text.slice(start, end) });
    onClose();
  }

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="cite-title" className="m-auto w-[min(56rem,95vw)] max-w-[95vw] rounded border border-line p-0 backdrop:bg-black/40">
      <div className="space-y-3 p-4">
        <div className="flex items-center justify-between">
          <h2 id="cite-title" className="font-serif text-2xl">{title}</h2>
          <button type="button" onClick={onClose} aria-label="Close" className="text-2xl leading-none">×</button>
        </div>
        <label className="block text-sm">
          <span className="font-medium">Source document</span>
          <select onChange={(e) => void pick(e.target.value)} defaultValue="" className="mt-1 block w-full border border-line rounded px-2 py-1 bg-white">
            <option value="">Choose a source…</option>
            {sources.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
          </select>
        </label>
        {source && (
          <>
            <div className="flex flex-wrap items-end gap-2">
              <label className="flex flex-col text-sm flex-1">
                <span className="font-medium">Find in the text</span>
                <input value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), findNext())} className="border border-line rounded px-2 py-1" />
              </label>
              <button type="button" onClick={findNext} className="border border-line rounded px-3 py-1">Find next</button>
            </div>
            <p className="text-xs text-muted">Select the exact passage with the mouse (or find it above and adjust with Shift+arrow keys), then insert it.</p>
            <div
              ref={box}
              tabIndex={0}
              onMouseUp={() => box.current && setSpan(selectionOffsets(box.current))}
              onKeyUp={() => box.current && setSpan(selectionOffsets(box.current))}
              className="source-text h-72 overflow-y-auto rounded border border-line p-3 text-sm"
              aria-label={`Text of ${source.title}`}
            >
              {source.text}
            </div>
          </>
        )}
        {message && <p role="alert" className="text-red-800 text-sm">{message}</p>}
        {span && source && (
          <blockquote className="border-l-4 border-amber-300 pl-3 text-sm font-serif">“{source.text.slice(span[0], Math.min(span[1], span[0] + 400))}{span[1] - span[0] > 400 ? '…' : ''}”</blockquote>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onClose} className="border border-line rounded px-3 py-1.5">Cancel</button>
          <button type="button" onClick={insert} disabled={!span} className="bg-accent text-white rounded px-3 py-1.5 disabled:opacity-50">{action}</button>
        </div>
      </div>
    </dialog>
  );
}
