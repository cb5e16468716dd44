import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Db } from '@/db/client';
import { pageEpoch } from '@/db/schema';
import { resolveViewer, sessionTokenFromCookieHeader, type Viewer } from '@/server/auth/viewer';
import { createLru } from '@/server/lru';

/**
 * Rendered HTML of revision, diff and history pages, the way a wiki serves its readers: a page
 * is rendered once and served again while nothing it shows has changed. "Nothing has changed"
 * is the `page_epoch` row (migration 0004), which triggers bump when a transaction that changes
 * an entity's name, address or access, adds a revision, or changes a source or group commits.
 * Each request reads it (one tiny query): no stale page is served, from any writer or process.
 *
 * Readers who are not signed in all see the same page and share one copy. A signed-in reader's
 * page shows who they are and what they may do (their name in the header, a Restore button), so
 * it is kept for that reader alone: its key holds their user id, name, admin flag and group
 * roles, read from their session on every request in the same round trip as the epoch. A
 * revoked or expired session, a changed role or membership is therefore never answered from
 * an old copy. Requests with a bearer token, Next's client navigations (RSC requests) and
 * anything but GET are never cached.
 */

const CACHED_PATHS = [/^\/revisions\/[0-9a-f-]{36}(\/diff)?$/i, /^\/wiki\/[^/?]+\/history$/];
/** Requests of Next's client router, answered with RSC payloads rather than HTML. */
const ROUTER_HEADERS = ['rsc', 'next-router-prefetch', 'next-router-state-tree', 'next-router-segment-prefetch', 'next-action', 'next-url'];
/** Per-connection or per-response headers, never replayed. */
const NOT_REPLAYED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'x-page-cache']);
const MAX_PAGE_BYTES = 2 * 1024 * 1024;
/** The query parameters these pages read (history: `before`; diff: `against`); any other makes a request uncacheable (Next's `_rsc` too), so made-up ones cannot fill the cache. */
const PAGE_PARAMS = new Set(['before', 'against']);

type Page = { epoch: number; headers: OutgoingHttpHeaders; body: Buffer };

/** A cache of at most `maxBytes` of pages (least recently used go first); 0 turns it off. */
export function createPageCache(db: Db, { maxBytes }: { maxBytes: number }) {
  const pages = createLru<Page>(maxBytes, (page) => page.body.length);

  async function currentEpoch(): Promise<number> {
    const [row] = await db.select({ n: pageEpoch.n }).from(pageEpoch);
    return row?.n ?? NaN;
  }

  return {
    /**
     * Answers `req` from the cache when it holds the page as it is now (true). Otherwise (false)
     * the caller renders it, and a cacheable page is kept as it streams out.
     */
    async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const request = maxBytes > 0 ? cacheable(req) : null;
      if (!request) return false;
      // Read before rendering: a change committed later bumps the epoch past this one.
      const [epoch, viewer] = await Promise.all([
        currentEpoch(),
        request.sessionToken ? resolveViewer(db, { sessionToken: request.sessionToken }) : null,
      ]).catch(() => [NaN, null] as const);
      if (Number.isNaN(epoch)) return false;
      // A session that no longer signs anyone in: Next renders the page (signed out) each time.
      if (request.sessionToken && !viewer?.user) return false;
      const key = `${request.key}\n${viewer ? readerKey(viewer) : 'anonymous'}`;
      const page = pages.get(key);
      if (page && page.epoch === epoch) {
        res.writeHead(200, { ...page.headers, 'content-length': page.body.length, 'x-page-cache': 'hit' });
        res.end(page.body);
        return true;
      }
      pages.delete(key);
      res.setHeader('x-page-cache', 'miss');
      keepBody(res, (headers, body) => {
        if (res.statusCode === 200 && !headers['set-cookie']) pages.set(key, { epoch, headers, body });
      });
      return false;
    },
  };
}

/** Everything about a signed-in reader that a page may show or depend on. */
function readerKey(viewer: Viewer): string {
  const roles = [...viewer.roles].map(([group, role]) => `${group}:${role}`).sort();
  return JSON.stringify([viewer.user?.id, viewer.user?.username, viewer.isAdmin, roles]);
}

/**
 * The page's cache key apart from the reader, and the reader's session if any; null when the
 * request may not be answered from the cache.
 */
function cacheable(req: IncomingMessage): { key: string; sessionToken: string | null } | null {
  if (req.method !== 'GET') return null;
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const [path, query] = mark < 0 ? [url, ''] : [url.slice(0, mark), url.slice(mark + 1)];
  if (!CACHED_PATHS.some((re) => re.test(path))) return null;
  if ([...new URLSearchParams(query).keys()].some((name) => !PAGE_PARAMS.has(name))) return null;
  const h = req.headers;
  if (h.authorization || ROUTER_HEADERS.some((name) => h[name] !== undefined)) return null;
  // What else the page depends on: the origin in its permalinks, the encoding Next chose for
  // this client, and today's date (the access date in its citations).
  const day = new Date().toISOString().slice(0, 10);
  return { key: [url, h.host, h['x-forwarded-host'], h['x-forwarded-proto'], h['accept-encoding'], day].join('\n'), sessionToken: sessionTokenFromCookieHeader(h.cookie) || null };
}

/** Collects what is written to `res` (as it streams to the client); `done` gets it at the end unless it grew too big. */
function keepBody(res: ServerResponse, done: (headers: OutgoingHttpHeaders, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let headed: OutgoingHttpHeaders = {};
  const keep = (chunk: unknown, encoding: unknown) => {
    if (size > MAX_PAGE_BYTES || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
  };
  const { writeHead, write, end } = res;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a));
    if (headers) headed = { ...(headers as OutgoingHttpHeaders) };
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  res.write = function (this: ServerResponse, chunk: unknown, encoding?: unknown, cb?: unknown) {
    keep(chunk, encoding);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, encoding, cb);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) {
    keep(chunk, encoding);
    const result = (end as (...a: unknown[]) => ServerResponse).call(this, chunk, encoding, cb);
    if (size <= MAX_PAGE_BYTES) {
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries({ ...res.getHeaders(), ...headed })) if (!NOT_REPLAYED.has(name.toLowerCase()) && value !== undefined) headers[name.toLowerCase()] = value;
      done(headers, Buffer.concat(chunks));
    }
    return result;
  } as typeof res.end;
}
