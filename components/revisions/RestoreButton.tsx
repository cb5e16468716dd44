'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi } from '@/components/lib/api-client';

/** Restores a revision as a new edit of the live page, then opens the page. */
export function RestoreButton({ entityId, revisionId, number, slug }: { entityId: string; revisionId: string; number: number; slug: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function restore() {
    if (!window.confirm(`Restore revision ${number}? The page will read as it did then; the history keeps everything.`)) return;
    setBusy(true);
    try {
      await callApi('POST', `/api/entities/${entityId}/restore`, { revisionId });
      router.push(`/wiki/${slug}`);
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }
  return (
    <span>
      <button type="button" onClick={restore} disabled={busy} className="rounded border border-amber-500 bg-amber-50 px-3 py-1 text-sm text-amber-900 disabled:opacity-60">
        {busy ? 'Restoring…' : 'Restore this revision'}
      </button>
      {error && <span role="alert" className="ml-2 text-sm text-red-800">{error}</span>}
    </span>
  );
}
