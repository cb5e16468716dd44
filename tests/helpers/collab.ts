import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { appUrl } from './http';

export type Client = { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void>; denied: string[]; closed: Promise<number> };

const open: WebsocketProvider[] = [];
// Each y-websocket provider in Node adds a process 'exit' listener (removed on destroy); the ten-client tests hold more than Node's default ten at once.
process.setMaxListeners(64);

/** A real y-websocket client on an entity's doc, authenticated with a personal access token when given. */
export function connectClient(entityId: string, token?: string): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(appUrl('/collab').replace(/^http/, 'ws'), entityId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: token ? { token } : {},
    maxBackoffTime: 200,
  });
  open.push(provider);
  const denied: string[] = [];
  // Permission-denied messages (read-only connections) are collected instead of logged.
  provider.messageHandlers[2] = (_encoder: unknown, decoder: decoding.Decoder) => authProtocol.readAuthMessage(decoder, doc, (_d, reason) => denied.push(reason));
  const synced = new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
  const closed = new Promise<number>((resolve) => provider.on('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)));
  return { doc, provider, synced, denied, closed };
}

/** Destroys every client made by `connectClient` (call in afterEach). */
export function disconnectAll(): void {
  for (const p of open.splice(0)) p.destroy();
}

/** A raw socket on the entity's doc, authenticated with `token` when given (anonymous otherwise). */
export function collabSocket(entityId: string, token?: string | null): WebSocket {
  return new WebSocket(appUrl(`/collab/${entityId}${token ? `?token=${token}` : ''}`).replace(/^http/, 'ws'));
}

/** A client's WebSocket handshake for the entity's doc, as bytes to write on a raw TCP socket (anonymous without `token`). */
export function upgradeRequest(entityId: string, token?: string): string {
  return (
    `GET /collab/${entityId}${token ? `?token=${token}` : ''} HTTP/1.1\r\nHost: ${new URL(appUrl('/')).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

/** Opens a raw socket and reports the HTTP status of a refused upgrade, or 101 when it opened. */
export function upgradeStatus(entityId: string, token?: string): Promise<number> {
  const ws = collabSocket(entityId, token);
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}

/** A table of the editor's body built the way the editor builds one: rows of cells, each with a paragraph. */
export const tables = {
  cell(): Y.XmlElement {
    const c = new Y.XmlElement('tableCell');
    c.insert(0, [new Y.XmlElement('paragraph')]);
    return c;
  },
  row(cells: number): Y.XmlElement {
    const r = new Y.XmlElement('tableRow');
    r.insert(0, Array.from({ length: cells }, tables.cell));
    return r;
  },
  /** The body's first block: the table of these tests. */
  of: (doc: Y.Doc) => doc.getXmlFragment('body').get(0) as Y.XmlElement,
  /** How many cells each row of that table has. */
  widths: (doc: Y.Doc) => tables.of(doc).toArray().map((r) => (r as Y.XmlElement).length),
  /** How many cells each row of each table of a page's body (as the entity API gives it) has. */
  savedWidths(node: SavedNode): number[] {
    return node.type === 'table' ? (node.content ?? []).map((r) => r.content?.length ?? 0) : (node.content ?? []).flatMap(tables.savedWidths);
  },
};
/** A node of a page's body as the entity API gives it. */
export type SavedNode = { type: string; content?: SavedNode[] };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` passes or `timeoutMs` runs out. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}
