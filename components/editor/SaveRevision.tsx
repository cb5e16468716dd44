'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

type Result = { created: boolean; revision: { number: number; url: string } };

type Message = { ok: boolean; text: string; href?: string; untilConnected?: boolean };

/**
 * "Save revision": records the page as it is now on the server, with an edit summary, as a
 * citable revision. While the page is not connected the server may lack what was typed, so
 * nothing is saved then: the form says why, until the connection is back.
 */
export function SaveRevision({ entityId, connected }: { entityId: string; connected: boolean }) {
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (!connected) {
      return setMessage({ ok: false, untilConnected: true, text: 'Not saved: this page is not connected, so the server may not have your latest changes. Save again once it says “Connected”.' });
    }
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
      {message && !(message.untilConnected && connected) && (
        <span role="status" className={message.ok ? 'text-emerald-800' : 'text-red-800'}>
          {message.text} {message.href && <a href={message.href}>View</a>}
        </span>
      )}
    </form>
  );
}
