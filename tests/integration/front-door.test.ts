// What a client sees of the site's port, on both databases. On PostgreSQL the test server's
// collaboration process accepts every connection, keeps those whose first request is for
// `/collab/` and passes the others to the web server with the bytes it read of them; with PGlite
// the web server accepts them all. Either way, a client cannot tell.
import { connect, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, disconnectAll, eventually, sleep, upgradeRequest } from '../helpers/collab';

let alice: TestUser;
let entityId: string;
const marker = uniqueName('Placed at Rapallo ');

beforeAll(async () => {
  alice = await createUser('door');
  const res = await call('POST', '/api/entities', alice, { type: 'event', title: uniqueName('Front door event ') });
  entityId = ((await res.json()) as { id: string }).id;
  const editor = connectClient(entityId, alice.token);
  await editor.synced;
  editor.doc.getMap('fields').set('place', marker);
  await sleep(300);
});
afterEach(() => disconnectAll());

/** A raw connection to the app: what it has received so far, and a way to wait for more. */
async function openRaw(): Promise<{ socket: Socket; received: () => Buffer; until: (done: (text: string) => boolean) => Promise<string> }> {
  const { hostname, port } = new URL(inject('baseUrl'));
  const socket = connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  const until = async (done: (text: string) => boolean) => {
    await eventually(() => expect(done(received.toString('latin1')), received.toString('latin1')).toBe(true));
    return received.toString('latin1');
  };
  return { socket, received: () => received, until };
}

/** Writes `text` a few bytes at a time, with a pause after each piece. */
async function trickle(socket: Socket, text: string, size = 3, gapMs = 2): Promise<void> {
  for (let i = 0; i < text.length; i += size) {
    socket.write(text.slice(i, i + size));
    await sleep(gapMs);
  }
}

const host = () => new URL(inject('baseUrl')).host;

describe('the site’s port', () => {
  it('serves a request whose first bytes arrive a few at a time', async () => {
    const raw = await openRaw();
    await trickle(raw.socket, `GET /api/health HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
    const response = await raw.until((text) => text.includes('"ok":true'));
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    raw.socket.destroy();
  });

  it('upgrades a WebSocket handshake that arrives in pieces, and sends the doc', async () => {
    const raw = await openRaw();
    await trickle(raw.socket, upgradeRequest(entityId, alice.token), 5);
    const response = await raw.until((text) => text.includes(marker));
    expect(response).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    raw.socket.destroy();
  });

  it('takes a POST whose body comes well after its headers', async () => {
    const raw = await openRaw();
    const title = uniqueName('Posted slowly ');
    const body = JSON.stringify({ type: 'event', title });
    raw.socket.write(
      `POST /api/entities HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${alice.token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    await sleep(150);
    raw.socket.write(body.slice(0, 10));
    await sleep(50);
    raw.socket.write(body.slice(10));
    const response = await raw.until((text) => text.includes('"slug"'));
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    const [, id] = /"id":"([0-9a-f-]+)"/.exec(response)!;
    const saved = await call('GET', `/api/entities/${id}`, alice);
    expect(((await saved.json()) as { title: string }).title).toBe(title);
  });

  it('upgrades a connection that first loaded something else (kept alive)', async () => {
    const raw = await openRaw();
    raw.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    const first = await raw.until((text) => text.includes('"ok":true'));
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    const before = raw.received().length;
    raw.socket.write(upgradeRequest(entityId, alice.token));
    const after = (await raw.until((text) => text.slice(before).includes(marker))).slice(before);
    expect(after).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    raw.socket.destroy();
  });

  it('keeps a connection usable after refusing a large body it did not read', async () => {
    const raw = await openRaw();
    const body = JSON.stringify({ type: 'event', title: 'x'.repeat(1_000_000) });
    raw.socket.write(
      `POST /api/entities HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${alice.token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const refused = await raw.until((text) => text.includes('"too_large"'));
    expect(refused).toMatch(/^HTTP\/1\.1 413 /);
    const before = raw.received().length;
    raw.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
    const next = (await raw.until((text) => text.slice(before).includes('"ok":true'))).slice(before);
    expect(next).toMatch(/^HTTP\/1\.1 200 /);
    raw.socket.destroy();
  });

  it('answers an upgrade that is not a WebSocket handshake (no key) with a JSON 400; the page opens as usual after it', async () => {
    const raw = await openRaw();
    raw.socket.write(upgradeRequest(entityId, alice.token).replace(/Sec-WebSocket-Key: [^\r]*\r\n/, ''));
    const response = await raw.until((text) => text.includes('}}'));
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)).error.code).toBe('bad_request');
    const editor = connectClient(entityId, alice.token);
    await editor.synced;
    expect(editor.doc.getMap('fields').get('place')?.toString()).toBe(marker);
  });

  it('answers a plain request for a live-editing address with 426 and a JSON message', async () => {
    const res = await fetch(new URL(`/collab/${entityId}`, inject('baseUrl')));
    expect(res.status).toBe(426);
    expect(await res.json()).toEqual({ error: { code: 'upgrade_required', message: 'This address takes WebSocket connections only.' } });
  });
});
