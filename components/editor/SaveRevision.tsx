'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

type Result = { created: boolean; revision: { number: number; url: string } };

/** "Save revision": records the page as it is now, with an edit summary, as a citable revision. */
export function SaveRevision({ entityId }: { entityId: string }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string; href?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    try {
      const r = await callApi<Result>('POST', `/api/entities/${entityId}/revisions`, { summary: new FormData(form).get('summary') });
      setMessage(r.created ? { ok: true, text: `Saved as revision ${r.revision.number}.`, href: r.revision.url } : { ok: true, text: `Nothing changed since revision ${r.revision.number}.`, href: r.revision.url });
      if (r.created) form.reset();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={save} className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor="revision-summary" className="sr-only">Edit summary</label>
      <input id="revision-summary" name="summary" maxLength={500} placeholder="Edit summary (what you changed)" className="w-full sm:w-72 rounded border border-line px-2 py-1" />
      <button type="submit" disabled={busy} className="rounded bg-accent px-3 py-1.5 text-white disabled:opacity-60">Save revision</button>
      {message && (
        <span role="status" className={message.ok ? 'text-emerald-800' : 'text-red-800'}>
          {message.text} {message.href && <a href={message.href}>View</a>}
        </span>
      )}
    </form>
  );
}
