import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db/client';
import { listSources } from '@/db/queries/sources';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sources' };

export default async function SourcesPage() {
  const sources = await listSources(getDb());
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="font-serif text-3xl">Source documents</h1>
      <p className="text-muted">Every claim in the wiki quotes one of these texts. They are kept exactly as captured, page furniture included.</p>
      <ul className="space-y-3">
        {sources.map((s) => (
          <li key={s.id} className="bg-white border border-line rounded p-4">
            <Link href={`/sources/${s.id}`} className="font-serif text-xl">{s.title}</Link>
            <p className="text-sm text-muted">{[s.author, s.publisher, s.kind, s.dateText].filter(Boolean).join(' · ')}</p>
            <p className="mt-1">{s.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
