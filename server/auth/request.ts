import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/db/client';
import { ApiError } from '@/server/http/api';
import { bearerTokenFromHeader, resolveViewer, SESSION_COOKIE, sessionTokenFromCookieHeader, type Viewer } from './viewer';

/** The viewer of an API request: bearer token, else session cookie. */
export function viewerFromRequest(request: Request): Promise<Viewer> {
  return resolveViewer(getDb(), {
    bearerToken: bearerTokenFromHeader(request.headers.get('authorization')),
    sessionToken: sessionTokenFromCookieHeader(request.headers.get('cookie')),
  });
}

/**
 * The viewer of the page being rendered (server components): resolved once per request, however
 * many of the layout, the page and its metadata ask (each asked again before: three queries
 * for the session and three for the memberships on a signed-in history page).
 */
export const currentViewer = cache(async (): Promise<Viewer> => {
  const jar = await cookies();
  return resolveViewer(getDb(), { sessionToken: jar.get(SESSION_COOKIE)?.value ?? null });
});

/** The client address the custom server saw (it overwrites any header a client sends). */
export function clientAddress(request: Request): string {
  return request.headers.get('x-kb-client-ip') ?? 'unknown';
}

export async function clientAddressFromHeaders(): Promise<string> {
  return (await headers()).get('x-kb-client-ip') ?? 'unknown';
}

/**
 * Mutations authenticated by the session cookie must come from this site: a cross-origin
 * form or fetch carries a foreign Origin (or none), and is refused. Bearer-token requests
 * carry no ambient credential and are exempt.
 */
export function requireSameOrigin(request: Request): void {
  if (bearerTokenFromHeader(request.headers.get('authorization'))) return;
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const source = origin ?? request.headers.get('referer');
  let sourceHost: string | null = null;
  try {
    sourceHost = source ? new URL(source).host : null;
  } catch {
    sourceHost = null;
  }
  const fetchSite = request.headers.get('sec-fetch-site');
  if (sourceHost && sourceHost === host) return;
  if (!sourceHost && (fetchSite === 'same-origin' || fetchSite === 'none' || !sessionTokenFromCookieHeader(request.headers.get('cookie')))) return;
  throw new ApiError('forbidden', 'Cross-origin request refused: send it from this site, or authenticate with a personal access token.');
}

/** A signed-in viewer, or a 401. */
export function requireUser(viewer: Viewer): NonNullable<Viewer['user']> {
  if (!viewer.user) throw new ApiError('unauthorized', 'Sign in first.');
  return viewer.user;
}

/** Reads a JSON body of at most `maxBytes`; bad JSON is a 400, too large a 413. */
export async function readJson(request: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new ApiError('too_large', `The request body must be at most ${maxBytes} bytes.`);
  const text = await request.text();
  if (text.length > maxBytes) throw new ApiError('too_large', `The request body must be at most ${maxBytes} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'The request body must be JSON.');
  }
}
