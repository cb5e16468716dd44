import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db/client';
import { findRevision, latestRevisionRef } from '@/db/queries/revisions';
import { currentViewer } from '@/server/auth/request';
import { canReadEntity } from '@/server/policies/entity';
import { formatTimestamp } from '@/components/revisions/format';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Verify a citation' };

const UUID_IN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Checks a cited revision: a permalink (or revision id) and the hash quoted with it. */
export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ ref?: string; hash?: string }> }) {
  const { ref = '', hash = '' } = await searchParams;
  const id = UUID_IN.exec(ref)?.[0];
  const wanted = hash.trim().toLowerCase().replace(/^sha256[:\s]*/, '');
  let result: { ok: boolean; message: string; href?: string } | null = null;
  if (ref || hash) {
    const found = id ? await findRevision(getDb(), id.toLowerCase()) : null;
    if (!found || !canReadEntity(await currentViewer(), found.entity)) result = { ok: false, message: 'No revision has that permanent link.' };
    else if (!/^[0-9a-f]{8,64}$/.test(wanted)) result = { ok: false, message: 'The hash must be the sha256 quoted in the citation (at least its first 8 characters).' };
    else {
      const ok = found.revision.sha256.startsWith(wanted);
      const total = (await latestRevisionRef(getDb(), found.entity.id))?.number ?? found.revision.number;
      result = {
        ok,
        href: `/revisions/${found.revision.id}`,
        message: ok
          ? `Matches: revision ${found.revision.number} of ${total} of “${found.entity.title}”, ${formatTimestamp(found.revision.createdAt)}.`
          : `Does not match: revision ${found.revision.number} of “${found.entity.title}” has hash ${found.revision.sha256}.`,
      };
    }
  }
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="font-serif text-3xl">Verify a citation</h1>
      <p className="text-muted">Paste the permanent link and the hash from a citation to check that they name this exact revision.</p>
      <form method="get" action="/verify" className="space-y-3 bg-white border border-line rounded p-4">
        <label className="block"><span className="block text-sm font-medium">Permanent link or revision id</span>
          <input name="ref" defaultValue={ref} required maxLength={500} className="mt-1 w-full border border-line rounded px-2 py-1" />
        </label>
        <label className="block"><span className="block text-sm font-medium">Hash (sha256)</span>
          <input name="hash" defaultValue={hash} required maxLength={100} className="mt-1 w-full border border-line rounded px-2 py-1 font-mono" />
        </label>
        <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Verify</button>
      </form>
      {result && (
        <p role="status" data-verified={result.ok ? 'yes' : 'no'} className={`rounded border p-3 ${result.ok ? 'border-emerald-400 bg-emerald-50' : 'border-red-300 bg-red-50'}`}>
          <strong>{result.ok ? 'Yes. ' : 'No. '}</strong>{result.message} {result.href && <Link href={result.href}>Open the revision</Link>}
        </p>
      )}
    </div>
  );
}
