import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { accessTokens, sessions, users } from '@/db/schema';
import { ApiError } from '@/server/http/api';
import { dummyPasswordHash, hashPassword, passwordProblem, usernameProblem, verifyPassword } from './credentials';
import { announceAuthChange } from './events';
import { hashSecret, newSecret } from './secrets';

export const SESSION_DAYS = 30;

/** Usernames listed in ADMIN_USERNAMES (comma-separated) are site admins. */
function isListedAdmin(usernameNorm: string): boolean {
  return (process.env.ADMIN_USERNAMES ?? '')
    .split(',')
    .map((u) => u.trim().toLowerCase())
    .includes(usernameNorm);
}

const publicUser = { id: users.id, username: users.username, isAdmin: users.isAdmin, createdAt: users.createdAt };

/** Creates an account; 400 with the rule broken, 409 when the name is taken. */
export async function signUp(db: Db, username: string, password: string) {
  const problem = usernameProblem(username) ?? passwordProblem(password, username);
  if (problem) throw new ApiError('bad_request', problem);
  const usernameNorm = username.toLowerCase();
  const passwordHash = await hashPassword(password);
  const [user] = await db
    .insert(users)
    .values({ username, usernameNorm, passwordHash, isAdmin: isListedAdmin(usernameNorm) })
    .onConflictDoNothing()
    .returning(publicUser);
  if (!user) throw new ApiError('conflict', `The username “${username}” is taken.`);
  return user;
}

/** The account for a username and password, or null (taking as long either way). */
export async function checkPassword(db: Db, username: string, password: string) {
  const [row] = await db.select({ ...publicUser, passwordHash: users.passwordHash }).from(users).where(eq(users.usernameNorm, username.toLowerCase()));
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!row || !ok) return null;
  if (!row.isAdmin && isListedAdmin(row.username.toLowerCase())) {
    await db.update(users).set({ isAdmin: true }).where(eq(users.id, row.id));
    row.isAdmin = true;
  }
  const { passwordHash: _, ...user } = row;
  void _;
  return user;
}

/** Opens a session; returns the secret for the cookie (only its hash is stored). */
export async function createSession(db: Db, userId: string, userAgent: string | null) {
  const token = newSecret('kbs_');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  const [session] = await db.insert(sessions).values({ tokenHash: hashSecret(token), userId, userAgent: userAgent?.slice(0, 300) ?? null, expiresAt }).returning({ id: sessions.id });
  return { token, sessionId: session.id, expiresAt };
}

/** The user's sessions that are still open, newest first. */
export function listSessions(db: Db, userId: string) {
  return db
    .select({ id: sessions.id, userAgent: sessions.userAgent, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.createdAt));
}

/** Revokes one of the user's sessions; false when it is not theirs or already revoked. */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (revoked.length) announceAuthChange({ kind: 'session', id: sessionId });
  return revoked.length > 0;
}

/** Creates a personal access token; the secret is returned once and stored only hashed. */
export async function createAccessToken(db: Db, userId: string, name: string) {
  const token = newSecret('kbt_');
  const [row] = await db
    .insert(accessTokens)
    .values({ tokenHash: hashSecret(token), prefix: token.slice(0, 10), name, userId })
    .returning({ id: accessTokens.id, name: accessTokens.name, prefix: accessTokens.prefix, createdAt: accessTokens.createdAt });
  return { ...row, token };
}

/** The user's tokens that are not revoked, newest first (never the secret). */
export function listAccessTokens(db: Db, userId: string) {
  return db
    .select({ id: accessTokens.id, name: accessTokens.name, prefix: accessTokens.prefix, createdAt: accessTokens.createdAt, lastUsedAt: accessTokens.lastUsedAt })
    .from(accessTokens)
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
    .orderBy(desc(accessTokens.createdAt));
}

/** Revokes one of the user's tokens; false when it is not theirs or already revoked. */
export async function revokeAccessToken(db: Db, userId: string, tokenId: string): Promise<boolean> {
  const revoked = await db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
    .returning({ id: accessTokens.id });
  if (revoked.length) announceAuthChange({ kind: 'token', id: tokenId });
  return revoked.length > 0;
}
