import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS = { 400: ['Bad Request', 'bad_request'], 404: ['Not Found', 'not_found'], 503: ['Service Unavailable', 'unavailable'] } as const;

/** Answers a WebSocket upgrade with an HTTP error and a JSON body (`{error: {code, message}}`) instead of upgrading. */
export function rejectUpgrade(socket: Duplex, status: keyof typeof REASONS, message: string): void {
  const [text, code] = REASONS[status];
  const body = JSON.stringify({ error: { code, message } });
  const retry = status === 503 ? 'retry-after: 1\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retry}connection: close\r\n\r\n${body}`);
}

/** Answers a plain request (no upgrade) for a `/collab/` address. */
export function requireUpgrade(res: ServerResponse): void {
  const body = JSON.stringify({ error: { code: 'upgrade_required', message: 'This address takes WebSocket connections only.' } });
  res.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket', connection: 'close' }).end(body);
}

/**
 * An error on an upgrade's socket (the client reset the connection) destroys that socket alone.
 * The listener is one function for every socket: a closure made in the upgrade handler would
 * share its scope and keep the upgrade request, its head bytes and its URL alive as long as the
 * socket is open (measured: 2.5 KiB per connection, a third of what a loaded doc with three
 * clients kept).
 */
export function destroyOnError(socket: Duplex): void {
  socket.on('error', destroySocket);
}

/** The socket is upgraded: the connection that now owns it (`ClientSocket`) destroys it on an error. */
export function keepErrorsToConnection(socket: Duplex): void {
  socket.off('error', destroySocket);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}
