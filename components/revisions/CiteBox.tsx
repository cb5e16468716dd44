'use client';

import { useState } from 'react';

const LABELS = { apa: 'APA', mla: 'MLA', chicago: 'Chicago', bibtex: 'BibTeX', ris: 'RIS', csl: 'CSL-JSON' } as const;
type Style = keyof typeof LABELS;

/** "Cite this revision" in six styles, each with a copy button (copying marks the revision as cited). */
export function CiteBox({ revisionId, citations }: { revisionId: string; citations: Record<Style, string> }) {
  const [style, setStyle] = useState<Style>('apa');
  const [copied, setCopied] = useState<Style | null>(null);

  async function copy() {
    // The text on the page when the server cannot be asked (offline): it is the same citation.
    const res = await fetch(`/api/revisions/${revisionId}/cite?style=${style}`).catch(() => null);
    const text = res?.ok ? await res.text() : citations[style];
    try {
      await navigator.clipboard.writeText(text);
      setCopied(style);
    } catch {
      window.getSelection()?.selectAllChildren(document.getElementById('citation-text')!);
    }
  }

  return (
    <section aria-labelledby="cite-heading" className="rounded border border-line bg-white p-4 space-y-2">
      <h2 id="cite-heading" className="font-serif text-xl">Cite this revision</h2>
      <div role="tablist" aria-label="Citation style" className="flex flex-wrap gap-1">
        {(Object.keys(LABELS) as Style[]).map((s) => (
          <button key={s} role="tab" type="button" aria-selected={s === style} onClick={() => { setStyle(s); setCopied(null); }} className={`rounded px-2 py-1 text-sm ${s === style ? 'bg-accent text-white' : 'border border-line hover:bg-wash'}`}>
            {LABELS[s]}
          </button>
        ))}
      </div>
      <pre id="citation-text" role="tabpanel" className="whitespace-pre-wrap break-words rounded bg-wash p-3 text-sm font-mono">{citations[style]}</pre>
      <button type="button" onClick={copy} className="rounded bg-accent px-3 py-1 text-white">
        {copied === style ? 'Copied' : `Copy ${LABELS[style]}`}
      </button>
      <span role="status" className="sr-only">{copied ? 'Citation copied' : ''}</span>
    </section>
  );
}
