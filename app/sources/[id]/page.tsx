import type { Metadata } from 'next';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { citedPassages, findSource } from '@/db/queries/sources';
import { SourceText } from '@/components/sources/SourceText';
import { CitedPassageList } from '@/components/sources/CitedPassageList';
import { currentViewer } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ hl?: string | string[] }> };

/** The source, read once per request (the metadata and the page both ask for it). */
const loadSource = cache((id: string) => findSource(getDb(), id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const source = await loadSource((await params).id);
  return { title: source?.title ?? 'Source not found' };
}

/** `?hl=start-end` names the passage a reference jumped to. */
function parseHighlight(hl: string | string[] | undefined) {
  const m = /^(\d{1,7})-(\d{1,7})$/.exec(Array.isArray(hl) ? (hl[0] ?? '') : (hl ?? ''));
  return m ? { start: Number(m[1]), end: Number(m[2]) } : undefined;
}

export default async function SourcePage({ params, searchParams }: Props) {
  const source = await loadSource((await params).id);
  if (!source) notFound();
  const passages = await citedPassages(getDb(), await currentViewer(), source.id);
  const target = parseHighlight((await searchParams).hl);
  return (
    <div className="space-y-6">
      <header className="bg-white border border-line rounded p-4 sm:p-6">
        <p className="text-sm text-muted uppercase tracking-wide">{source.kind}</p>
        <h1 className="font-serif text-3xl">{source.title}</h1>
        <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
          {source.author && (<><dt className="text-muted">Author</dt><dd>{source.author}</dd></>)}
          {source.publisher && (<><dt className="text-muted">Publisher</dt><dd>{source.publisher}</dd></>)}
          {source.dateText && (<><dt className="text-muted">Date</dt><dd>{source.dateText}</dd></>)}
          <dt className="text-muted">Length</dt>
          <dd>{source.text.length.toLocaleString('en')} characters, {passages.length} cited passages</dd>
          <dt className="text-muted">SHA-256</dt>
          <dd className="font-mono text-xs break-all">{source.sha256}</dd>
        </dl>
        <p className="mt-3">{source.description}</p>
      </header>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <section aria-labelledby="text-heading" className="bg-white border border-line rounded p-4 sm:p-6 min-w-0">
          <h2 id="text-heading" className="sr-only">Text</h2>
          <SourceText text={source.text} passages={passages} target={target} />
        </section>
        <section aria-labelledby="passages-heading" className="bg-white border border-line rounded p-4 self-start lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:overflow-y-auto">
          <h2 id="passages-heading" className="font-serif text-xl mb-3">Cited passages</h2>
          <CitedPassageList sourceId={source.id} passages={passages} />
        </section>
      </div>
    </div>
  );
}
