'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import Link from 'next/link';
import { callApi } from '@/components/lib/api-client';

/** Sign-in or sign-up form; on success goes to `next` (a path on this site) with a fresh render. */
export function AuthForm({ mode, next }: { mode: 'signin' | 'signup'; next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await callApi('POST', signup ? '/api/auth/signup' : '/api/auth/login', { username: form.get('username'), password: form.get('password') });
      router.push(next.startsWith('/') && !next.startsWith('//') ? next : '/');
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="bg-white border border-line rounded p-6 space-y-4 max-w-sm" noValidate>
      <h1 className="font-serif text-3xl">{signup ? 'Create an account' : 'Sign in'}</h1>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">
          {error}
        </p>
      )}
      <div>
        <label htmlFor="auth-username" className="block text-sm font-medium">Username</label>
        <input id="auth-username" name="username" required autoComplete="username" autoFocus minLength={3} maxLength={32} aria-describedby={signup ? 'auth-username-hint' : undefined} className="mt-1 w-full border border-line rounded px-3 py-2" />
        {signup && <p id="auth-username-hint" className="text-xs text-muted mt-1">3–32 letters, digits, dots, dashes or underscores.</p>}
      </div>
      <div>
        <label htmlFor="auth-password" className="block text-sm font-medium">Password</label>
        <input id="auth-password" name="password" type="password" required autoComplete={signup ? 'new-password' : 'current-password'} minLength={signup ? 10 : 1} aria-describedby={signup ? 'auth-password-hint' : undefined} className="mt-1 w-full border border-line rounded px-3 py-2" />
        {signup && <p id="auth-password-hint" className="text-xs text-muted mt-1">At least 10 characters, not containing your username.</p>}
      </div>
      <button type="submit" disabled={busy} className="w-full bg-accent text-white rounded px-4 py-2 disabled:opacity-60">
        {busy ? 'Please wait…' : signup ? 'Create account' : 'Sign in'}
      </button>
      <p className="text-sm text-muted">
        {signup ? (
          <>Already have an account? <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link></>
        ) : (
          <>New here? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link></>
        )}
      </p>
    </form>
  );
}
