import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { listAccessTokens, listSessions } from '@/server/auth/accounts';
import { currentViewer } from '@/server/auth/request';

/** The signed-in viewer, or a redirect to sign in and come back to `path`. */
export async function requireSignedIn(path: string) {
  const viewer = await currentViewer();
  if (!viewer.user) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return { viewer, user: viewer.user };
}

/** The account page: the user's tokens and sessions. */
export async function loadAccountPage() {
  const { viewer, user } = await requireSignedIn('/account');
  const db = getDb();
  const [tokens, sessions] = await Promise.all([listAccessTokens(db, user.id), listSessions(db, user.id)]);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    user,
    tokens: tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt) })),
    sessions: sessions.map((s) => ({ id: s.id, userAgent: s.userAgent, createdAt: s.createdAt.toISOString(), current: viewer.credential?.id === s.id })),
  };
}
