import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serveClientSockets, until } from '@/tests/helpers/client-sockets';
import { createOutbox } from './outbox';
import type { ClientSocket } from './websocket';

/** Opens a client that collects every binary message it gets. */
async function client(url: string): Promise<{ ws: WebSocket; received: Buffer[] }> {
  const ws = new WebSocket(url);
  const received: Buffer[] = [];
  ws.on('message', (data: Buffer, isBinary) => isBinary && received.push(data));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, received };
}

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** A server whose connections go to a new outbox; `serverSide` fills as clients connect. */
async function outboxServer() {
  const outbox = createOutbox();
  const serverSide: ClientSocket[] = [];
  const { url, close } = await serveClientSockets((ws) => serverSide.push(ws));
  stops.push(close);
  return { outbox, serverSide, url };
}

describe('outbox', () => {
  it('delivers messages of every length class (7-bit, 16-bit and 64-bit lengths) intact and in order to a real `ws` client', async () => {
    const { outbox, serverSide, url } = await outboxServer();
    const { ws, received } = await client(url);
    await until(() => serverSide.length === 1);
    const sizes = [0, 1, 125, 126, 127, 65_535, 65_536, 300_000];
    const messages = sizes.map((n, i) => Uint8Array.from({ length: n }, (_, j) => (i * 31 + j) % 251));
    // Sent in one turn (one write) and in separate turns (one write each).
    for (const m of messages) outbox.send(serverSide[0], m);
    for (const m of messages) {
      await new Promise((r) => setImmediate(r));
      outbox.send(serverSide[0], m);
    }
    await until(() => received.length === 2 * messages.length);
    expect(received.map((b) => b.length)).toEqual([...sizes, ...sizes]);
    received.forEach((b, i) => expect(Buffer.compare(b, Buffer.from(messages[i % messages.length]))).toBe(0));
    ws.close();
  });

  it('broadcasts to everyone but the sender; a socket dropped with frames queued for it disturbs nobody', async () => {
    const { outbox, serverSide, url } = await outboxServer();
    const clients = [await client(url), await client(url), await client(url)];
    await until(() => serverSide.length === 3);
    const [sender, , leaving] = serverSide;
    outbox.broadcast(serverSide, Uint8Array.of(1, 2, 3), sender);
    outbox.broadcast(serverSide, Uint8Array.of(4), sender);
    leaving.terminate(); // before the queued frames leave: writing them to the destroyed socket would throw
    await until(() => clients[1].received.length === 2);
    expect(clients[1].received.map((b) => [...b])).toEqual([[1, 2, 3], [4]]);
    // The server dropped the connection without a close frame: 1006 on the client.
    const code = await new Promise<number>((resolve) => (clients[2].ws.readyState === WebSocket.CLOSED ? resolve(1006) : clients[2].ws.once('close', resolve)));
    expect(code).toBe(1006);
    expect(clients[2].received).toEqual([]);
    expect(clients[0].received).toEqual([]);
    for (const c of clients) c.ws.close();
  });
});
