import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { clientFrame, serveClientSockets, until } from '@/tests/helpers/client-sockets';
import { binaryFrame, type ClientSocket } from './websocket';

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

type Received = { data: Buffer; binary: boolean };

/** A server whose connections record what they receive; `maxPayload` as the collaboration server's limit. */
async function server(maxPayload?: number) {
  const connections: { ws: ClientSocket; received: Received[]; pongs: number; closed: boolean }[] = [];
  const served = await serveClientSockets((ws) => {
    const connection = { ws, received: [] as Received[], pongs: 0, closed: false };
    connections.push(connection);
    ws.onMessage = (data, binary) => connection.received.push({ data: Buffer.from(data), binary });
    ws.onPong = () => connection.pongs++;
    const forget = ws.onClose!;
    ws.onClose = function () {
      connection.closed = true;
      forget.call(this);
    };
  }, maxPayload);
  stops.push(served.close);
  return { ...served, connections };
}

async function open(url: string, protocols?: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  stops.push(() => ws.terminate());
  return ws;
}

const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

/** A raw client: does the handshake and collects every byte after the server's answer. */
async function rawClient(url: string, handshake = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n') {
  const { port } = new URL(url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  stops.push(() => socket.destroy());
  let text = '';
  let after = Buffer.alloc(0);
  let ended = false;
  const answered = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => {
      if (text.includes('\r\n\r\n')) return void (after = Buffer.concat([after, chunk]));
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      after = Buffer.from(text.slice(end + 4), 'latin1');
      text = text.slice(0, end + 4);
      resolve(text);
    });
  });
  socket.on('end', () => (ended = true));
  socket.on('error', () => {});
  socket.write(`GET /any HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${handshake}\r\n`);
  return { socket, answer: await answered, after: () => after, ended: () => ended };
}

/** The close code of the close frame a raw client received, if it did. */
function closeCode(bytes: Buffer): number | null {
  return bytes.length >= 4 && bytes[0] === 0x88 ? bytes.readUInt16BE(2) : null;
}

describe('ClientSocket', () => {
  it('takes messages of every length class, whole or fragmented, text or binary, and sends frames a ws client reads', async () => {
    const { url, connections } = await server();
    const client = await open(url);
    const received: Buffer[] = [];
    client.on('message', (data: Buffer) => received.push(data));
    const sizes = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const messages = sizes.map((n, i) => Buffer.from(Array.from({ length: n }, (_, j) => (i * 31 + j) % 251)));
    for (const m of messages) client.send(m);
    client.send(Buffer.from('in '), { fin: false });
    client.send(Buffer.from('three '), { fin: false });
    client.send(Buffer.from('parts'), { fin: true });
    client.send('a text message');
    await until(() => connections[0]?.received.length === sizes.length + 2);
    const got = connections[0].received;
    expect(got.slice(0, sizes.length).map((r) => r.data.length)).toEqual(sizes);
    got.slice(0, sizes.length).forEach((r, i) => expect(Buffer.compare(r.data, messages[i])).toBe(0));
    expect(got.at(-2)).toEqual({ data: Buffer.from('in three parts'), binary: true });
    expect(got.at(-1)).toEqual({ data: Buffer.from('a text message'), binary: false });
    connections[0].ws.socket.write(binaryFrame(Uint8Array.of(7, 8, 9)));
    await until(() => received.length === 1);
    expect([...received[0]]).toEqual([7, 8, 9]);
  });

  it('reads frames split across reads, one byte at a time, and several frames in one read', async () => {
    const { url, connections } = await server();
    const raw = await rawClient(url);
    expect(raw.answer).toMatch(/^HTTP\/1.1 101 /);
    expect(raw.answer).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo='); // RFC 6455's example
    const frames = Buffer.concat([clientFrame(0x82, Buffer.from('first')), clientFrame(0x82, Buffer.alloc(300, 5)), clientFrame(0x82, Buffer.from('third'))]);
    for (const byte of frames.subarray(0, 40)) {
      raw.socket.write(Buffer.of(byte));
      await new Promise((r) => setTimeout(r, 1));
    }
    raw.socket.write(frames.subarray(40));
    await until(() => connections[0]?.received.length === 3);
    expect(connections[0].received.map((r) => r.data.toString('latin1'))).toEqual(['first', Buffer.alloc(300, 5).toString('latin1'), 'third']);
  });

  it('answers pings, hears pongs, and closes both ways with the code and reason', async () => {
    const { url, connections } = await server();
    const client = await open(url);
    await until(() => connections.length === 1);
    const pong = new Promise<Buffer>((resolve) => client.once('pong', resolve));
    client.ping(Buffer.from('are you there'));
    expect((await pong).toString()).toBe('are you there');
    connections[0].ws.ping(); // the ws client answers by itself
    await until(() => connections[0].pongs === 1);

    const closed = closeOf(client);
    connections[0].ws.close(4403, 'you no longer have access to this page');
    expect(connections[0].ws.open).toBe(false);
    expect(await closed).toEqual({ code: 4403, reason: 'you no longer have access to this page' });
    await until(() => connections[0].closed);

    const other = await open(url);
    await until(() => connections.length === 2);
    const answered = closeOf(other);
    other.close(4000, 'bye');
    expect((await answered).code).toBe(4000); // its own code, echoed
    await until(() => connections[1].closed);
  });

  it('ends the connection itself once a client answers its close frame (the server closes TCP first, RFC 6455 7.1.1)', async () => {
    const { url, connections } = await server();
    const raw = await rawClient(url);
    await until(() => connections.length === 1);
    connections[0].ws.close(1001, 'server shutting down');
    await until(() => closeCode(raw.after()) === 1001);
    expect(raw.ended()).toBe(false);
    raw.socket.write(clientFrame(0x88, Buffer.from([0x03, 0xe9]))); // the answer; the raw client does not end its side
    await until(() => raw.ended());
    expect(raw.after()).toHaveLength(2 + 2 + 'server shutting down'.length); // one close frame, not a second as an answer
  });

  it('terminate drops the connection at once: the client sees 1006', async () => {
    const { url, connections } = await server();
    const client = await open(url);
    await until(() => connections.length === 1);
    const closed = closeOf(client);
    connections[0].ws.terminate();
    expect((await closed).code).toBe(1006);
    await until(() => connections[0].closed);
  });

  it('refuses a message over the limit on its header, before its bytes come: close 1009, nothing delivered', async () => {
    const { url, connections } = await server(1000);
    const client = await open(url);
    const closed = closeOf(client);
    client.send(Buffer.alloc(1001));
    expect((await closed).code).toBe(1009);
    // Fragments count together.
    const fragmented = await open(url);
    const fragmentedClosed = closeOf(fragmented);
    fragmented.send(Buffer.alloc(600), { fin: false });
    fragmented.send(Buffer.alloc(600), { fin: true });
    expect((await fragmentedClosed).code).toBe(1009);
    // A header claiming 2 GB, and nothing after it: refused at once.
    const raw = await rawClient(url);
    raw.socket.write(clientFrame(0x82, Buffer.alloc(0), { length: 2 ** 31 }).subarray(0, 14));
    await until(() => closeCode(raw.after()) === 1009);
    expect(connections.every((c) => c.received.length === 0)).toBe(true);
  });

  it('fails a connection that breaks the framing rules with 1002, and only that one', async () => {
    const { url, connections } = await server();
    const bystander = await open(url);
    const cases = [
      clientFrame(0x82, Buffer.from('unmasked'), { masked: false }),
      clientFrame(0xc2, Buffer.from('reserved bit')),
      clientFrame(0x83, Buffer.from('opcode 3')),
      clientFrame(0x80, Buffer.from('continuation of nothing')),
      clientFrame(0x09, Buffer.from('fragmented ping')),
      clientFrame(0x89, Buffer.alloc(126)), // a control frame over 125 bytes
    ];
    for (const frame of cases) {
      const raw = await rawClient(url);
      raw.socket.write(frame);
      await until(() => closeCode(raw.after()) === 1002 && raw.ended());
    }
    bystander.send(Buffer.from('still here'));
    await until(() => connections[0].received.length === 1);
    expect(connections[0].closed).toBe(false);
    expect(connections.slice(1).every((c) => c.received.length === 0 && c.closed)).toBe(true);
  });

  it('answers a request that is not a WebSocket handshake with a JSON 400, and echoes the first subprotocol asked for', async () => {
    const { url, connections } = await server();
    const noKey = await rawClient(url, 'Sec-WebSocket-Version: 13\r\n');
    expect(noKey.answer).toMatch(/^HTTP\/1.1 400 /);
    await until(() => noKey.ended());
    expect(JSON.parse(noKey.after().toString()).error.code).toBe('bad_request');
    const oldVersion = await rawClient(url, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n');
    expect(oldVersion.answer).toMatch(/^HTTP\/1.1 400 /);
    expect(connections).toHaveLength(0);
    const client = await open(url, ['first', 'second']);
    expect(client.protocol).toBe('first');
  });
});
