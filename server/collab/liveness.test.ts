import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serveClientSockets } from '@/tests/helpers/client-sockets';
import { watchLiveness, type LivenessOptions } from './liveness';

const ROUND_MS = 200;
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** A server on loopback whose sockets are watched, each pinged every ROUND_MS. */
async function watchedServer(options: LivenessOptions = {}) {
  let liveness: ReturnType<typeof watchLiveness> | null = null;
  const { url, open, close } = await serveClientSockets((ws) => liveness!.watch(ws));
  liveness = watchLiveness(() => open, { everyMs: ROUND_MS, ...options });
  stops.push(() => {
    liveness!.stop();
    close();
  });
  return url;
}

/** A client; `answers: false` is one whose other end is gone (it never answers a ping). */
async function client(url: string, answers: boolean): Promise<{ ws: WebSocket; closed: () => boolean; pings: number[] }> {
  const ws = new WebSocket(url, { autoPong: answers });
  let closed = false;
  const pings: number[] = [];
  ws.on('close', () => (closed = true));
  ws.on('ping', () => pings.push(performance.now()));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  stops.push(() => ws.terminate());
  return { ws, closed: () => closed, pings };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watchLiveness', () => {
  it('drops a connection that stops answering pings, and keeps those that answer', async () => {
    const url = await watchedServer();
    const [alive, gone] = [await client(url, true), await client(url, false)];
    await sleep(3.5 * ROUND_MS);
    expect(gone.closed()).toBe(true);
    expect(alive.closed()).toBe(false);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('pings a slice of the sockets at a time, each of them once a round', async () => {
    const url = await watchedServer({ slices: 4 });
    const clients = await Promise.all(Array.from({ length: 8 }, () => client(url, true)));
    await sleep(2.6 * ROUND_MS);
    const pings = clients.map((c) => c.pings);
    for (const times of pings) {
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(times[1] - times[0]).toBeGreaterThan(0.8 * ROUND_MS);
    }
    // Four turns a round, two sockets each: the first pings came at four different moments.
    const firstPings = new Set(pings.map((times) => Math.round(times[0] / (ROUND_MS / 8))));
    expect(firstPings.size).toBeGreaterThanOrEqual(4);
    expect(clients.every((c) => !c.closed())).toBe(true);
  });

  it('drops nobody in a round that comes late (the process was stopped or busy), only in the next one', async () => {
    const url = await watchedServer({ slices: 1 }); // every socket in every turn
    const gone = await client(url, false);
    await sleep(1.3 * ROUND_MS); // the first round has pinged it
    const blockedUntil = performance.now() + 2 * ROUND_MS; // the event loop held: the next round comes late
    while (performance.now() < blockedUntil);
    await sleep(0.5 * ROUND_MS);
    expect(gone.closed()).toBe(false);
    await sleep(1.5 * ROUND_MS);
    expect(gone.closed()).toBe(true);
  });
});
