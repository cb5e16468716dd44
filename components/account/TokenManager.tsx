'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

type Token = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };
type Session = { id: string; userAgent: string | null; createdAt: string; current: boolean };

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : 'never');

/** Lists, creates and revokes personal access tokens, and lists and revokes sessions. */
export function TokenManager({ initialTokens, initialSessions }: { initialTokens: Token[]; initialSessions: Session[] }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [sessions, setSessions] = useState(initialSessions);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      const token = await callApi<Token & { token: string }>('POST', '/api/tokens', { name: new FormData(form).get('name') });
      setCreated(token.token);
      setTokens([token, ...tokens]);
      form.reset();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revokeToken(id: string) {
    try {
      await callApi('DELETE', `/api/tokens/${id}`);
      setTokens(tokens.filter((t) => t.id !== id));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revokeSession(id: string) {
    try {
      await callApi('DELETE', `/api/auth/sessions/${id}`);
      setSessions(sessions.filter((s) => s.id !== id));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="space-y-8">
      {error && <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">{error}</p>}
      <section aria-labelledby="tokens-heading" className="bg-white border border-line rounded p-4 space-y-3">
        <h2 id="tokens-heading" className="font-serif text-2xl">Personal access tokens</h2>
        <p className="text-sm text-muted">For scripts and bots: send as <code>Authorization: Bearer …</code>, or <code>?token=…</code> on the collaboration socket.</p>
        <form onSubmit={create} className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-sm">
            <span>Token name</span>
            <input name="name" required maxLength={100} placeholder="e.g. import script" className="border border-line rounded px-2 py-1" />
          </label>
          <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Create token</button>
        </form>
        {created && (
          <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
            Copy this token now; it will not be shown again:
            <code className="block mt-1 break-all font-mono">{created}</code>
          </div>
        )}
        <ul className="divide-y divide-line">
          {tokens.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <strong>{t.name}</strong> <code className="text-xs text-muted">{t.prefix}…</code>
                <span className="block text-xs text-muted">created {when(t.createdAt)}, last used {when(t.lastUsedAt)}</span>
              </span>
              <button type="button" onClick={() => revokeToken(t.id)} className="text-sm text-red-800 underline">Revoke</button>
            </li>
          ))}
          {tokens.length === 0 && <li className="py-2 text-sm text-muted">No tokens.</li>}
        </ul>
      </section>
      <section aria-labelledby="sessions-heading" className="bg-white border border-line rounded p-4 space-y-3">
        <h2 id="sessions-heading" className="font-serif text-2xl">Signed-in sessions</h2>
        <ul className="divide-y divide-line">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="text-sm">
                {s.userAgent ?? 'Unknown browser'} {s.current && <strong>(this browser)</strong>}
                <span className="block text-xs text-muted">since {when(s.createdAt)}</span>
              </span>
              {!s.current && <button type="button" onClick={() => revokeSession(s.id)} className="text-sm text-red-800 underline">Sign out there</button>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
