import type { Duplex } from 'node:stream';

const REASONS = { 400: ['Bad Request', 'bad_request'], 404: ['Not Found', 'not_found'], 503: ['Service Unavailable', 'unavailable'] } as const;

/** Answers a WebSocket upgrade with an HTTP error and a JSON body (`{error: {code, message}}`) instead of upgrading. */
export function rejectUpgrade(socket: Duplex, status: keyof typeof REASONS, message: string): void {
  const [text, code] = REASONS[status];
  const body = JSON.stringify({ error: { code, message } });
  const retry = status === 503 ? 'retry-after: 1\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retry}connection: close\r\n\r\n${body}`);
}
