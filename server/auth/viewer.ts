import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { prepared } from '@/db/queries/prepared';
import { accessTokens, groupMembers, sessions, users, type GroupRole } from '@/db/schema';
import type { Reader } from '@/db/queries/visibility';
import { hashSecret } from './secrets';

export const SESSION_COOKIE = 'kb_session';

/** Who is making a request, and through which credential. */
export type Viewer = Reader & {
  user: { id: string; username: string; isAdmin: boolean } | null;
  /** The session or token that authenticated the request (to notice its revocation). */
  credential: { kind: 'session' | 'token'; id: string } | null;
  /** The viewer's role in each of their groups. */
  roles: Map<string, GroupRole>;
};

export const ANONYMOUS: Viewer = { user: null, credential: null, roles: new Map(), isAdmin: false, groupIds: [] };

/** The raw credentials a request carries. */
export type Credentials = { sessionToken?: string | null; bearerToken?: string | null };

type UserRow = { id: string; username: string; isAdmin: boolean };

function viewerOf(user: UserRow, credential: Viewer['credential'], memberships: [string, GroupRole][]): Viewer {
  const roles = new Map(memberships);
  return { user, credential, roles, isAdmin: user.isAdmin, groupIds: [...roles.keys()] };
}

const userCols = { id: users.id, username: users.username, isAdmin: users.isAdmin };
/** The user's groups and roles as JSON `[[groupId, role], …]`, read in the same query as the credential. */
const membershipsCol = sql<string>`coalesce((select json_agg(json_build_array(${groupMembers.groupId}, ${groupMembers.role}))::text from ${groupMembers} where ${groupMembers.userId} = ${users.id}), '[]')`;
const parseMemberships = (json: string) => JSON.parse(json) as [string, GroupRole][];

/**
 * Resolves credentials to a viewer: a bearer token (personal access token) first, else the
 * session cookie. Revoked or expired credentials count as none: the viewer is anonymous.
 */
export async function resolveViewer(db: Db, { sessionToken, bearerToken }: Credentials): Promise<Viewer> {
  if (bearerToken) {
    const [row] = await prepared(db, 'viewer_by_token', (db) =>
      db
        .select({ user: userCols, tokenId: accessTokens.id, lastUsedAt: accessTokens.lastUsedAt, memberships: membershipsCol })
        .from(accessTokens)
        .innerJoin(users, eq(users.id, accessTokens.userId))
        .where(and(eq(accessTokens.tokenHash, sql.placeholder('tokenHash')), isNull(accessTokens.revokedAt)))
        .prepare('viewer_by_token'),
    ).execute({ tokenHash: hashSecret(bearerToken) });
    if (!row) return ANONYMOUS;
    // "Last used" to the minute is enough, and spares most requests a write.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await db.update(accessTokens).set({ lastUsedAt: new Date() }).where(eq(accessTokens.id, row.tokenId));
    }
    return viewerOf(row.user, { kind: 'token', id: row.tokenId }, parseMemberships(row.memberships));
  }
  if (sessionToken) {
    const [row] = await prepared(db, 'viewer_by_session', (db) =>
      db
        .select({ user: userCols, sessionId: sessions.id, memberships: membershipsCol })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
        .prepare('viewer_by_session'),
    ).execute({ tokenHash: hashSecret(sessionToken) });
    if (!row) return ANONYMOUS;
    return viewerOf(row.user, { kind: 'session', id: row.sessionId }, parseMemberships(row.memberships));
  }
  return ANONYMOUS;
}

/** The same viewer with their admin flag and group roles read again (after a permission change). */
export async function refreshViewer(db: Db, viewer: Viewer): Promise<Viewer> {
  if (!viewer.user) return viewer;
  const [row] = await db.select({ user: userCols, memberships: membershipsCol }).from(users).where(eq(users.id, viewer.user.id));
  return row ? viewerOf(row.user, viewer.credential, parseMemberships(row.memberships)) : ANONYMOUS;
}

/** Reads the session cookie out of a Cookie header. */
export function sessionTokenFromCookieHeader(header: string | null | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== SESSION_COOKIE) continue;
    // A malformed escape (`%ZZ`) is no valid session either: it resolves to nobody, never throws.
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return value.join('=');
    }
  }
  return null;
}

/** Reads a bearer token out of an Authorization header. */
export function bearerTokenFromHeader(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1] : null;
}

/** Which of these credentials are still valid (not revoked, not expired): their ids, in two queries. */
export async function validCredentials(db: Db, credentials: NonNullable<Viewer['credential']>[]): Promise<Set<string>> {
  const ids = (kind: string) => [...new Set(credentials.filter((c) => c.kind === kind).map((c) => c.id))];
  const [tokenIds, sessionIds] = [ids('token'), ids('session')];
  const [tokens, live] = await Promise.all([
    tokenIds.length ? db.select({ id: accessTokens.id }).from(accessTokens).where(and(inArray(accessTokens.id, tokenIds), isNull(accessTokens.revokedAt))) : [],
    sessionIds.length ? db.select({ id: sessions.id }).from(sessions).where(and(inArray(sessions.id, sessionIds), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date()))) : [],
  ]);
  return new Set([...tokens, ...live].map((r) => r.id));
}

/** The current group roles of many users, in one query. */
export async function rolesOfUsers(db: Db, userIds: string[]): Promise<Map<string, Map<string, GroupRole>>> {
  const out = new Map<string, Map<string, GroupRole>>(userIds.map((id) => [id, new Map()]));
  if (userIds.length === 0) return out;
  const rows = await db.select().from(groupMembers).where(inArray(groupMembers.userId, userIds));
  for (const r of rows) out.get(r.userId)?.set(r.groupId, r.role);
  return out;
}

/** Is this credential still valid (not revoked, not expired)? For re-checking open sockets. */
export async function credentialIsValid(db: Db, credential: NonNullable<Viewer['credential']>): Promise<boolean> {
  if (credential.kind === 'token') {
    const [row] = await db.select({ id: accessTokens.id }).from(accessTokens).where(and(eq(accessTokens.id, credential.id), isNull(accessTokens.revokedAt)));
    return Boolean(row);
  }
  const [row] = await db.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.id, credential.id), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())));
  return Boolean(row);
}
