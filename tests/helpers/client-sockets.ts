import { createServer } from 'node:http';
import { expect } from 'vitest';
import type { AddressInfo } from 'node:net';
import { acceptWebSocket, type ClientSocket } from '@/server/collab/websocket';

/**
 * An HTTP server on loopback whose upgrades become `ClientSocket`s (the collaboration server's
 * end of a connection), each handed to `opened`; `open` holds those not closed yet.
 */
export async function serveClientSockets(opened: (ws: ClientSocket) => void = () => {}, maxPayload = 2 * 1024 * 1024) {
  const open = new Set<ClientSocket>();
  const server = createServer();
  server.on('upgrade', (req, socket, head) =>
    acceptWebSocket(req, socket, head, maxPayload, (ws) => {
      open.add(ws);
      ws.onClose = () => open.delete(ws);
      opened(ws);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open,
    close(): void {
      for (const ws of open) ws.terminate();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Waits (up to 2 s) until `check` holds, and fails the test if it never does. */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

/** A client's frame: masked, with the given first byte (FIN, RSV bits and opcode) and length field. */
export function clientFrame(first: number, payload: Uint8Array, { masked = true, length = payload.length } = {}): Buffer {
  const header = length < 126 ? [first, (masked ? 0x80 : 0) | length] : length < 65_536 ? [first, (masked ? 0x80 : 0) | 126, length >> 8, length & 0xff] : [first, (masked ? 0x80 : 0) | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  const mask = masked ? [0x12, 0x34, 0x56, 0x78] : [];
  const body = Buffer.from(payload.map((b, i) => (masked ? b ^ mask[i % 4] : b)));
  return Buffer.concat([Buffer.from([...header, ...mask]), body]);
}
