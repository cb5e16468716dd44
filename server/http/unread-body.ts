import type { IncomingMessage, ServerResponse } from 'node:http';

/** Past this much of a body nobody read, the connection is closed instead of drained. */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

/**
 * A response sent before its request's body was read (a 401 or a 413 for a large POST) leaves
 * the rest of the body on the connection, held paused by Next's body stream: the client can
 * neither finish sending it nor send its next request on that connection (it gets ECONNRESET).
 * Once the response is sent, this reads and discards the rest, as Node does for a body nobody
 * asked for; a client sending more than 16 MiB of it has its connection closed.
 */
export function discardUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return; // a page or a GET: nothing to discard, no listener
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    let discarded = 0;
    req.removeAllListeners('readable'); // the body stream's: it would never read again
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
    });
    req.resume();
  });
}
