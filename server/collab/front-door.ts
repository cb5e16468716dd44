import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Collab } from './registry';
import { requireUpgrade } from './reject-upgrade';

/** How a connection for the collaboration server starts: a WebSocket handshake is always a GET (RFC 6455 §4.1). */
const COLLAB_REQUEST = Buffer.from('GET /collab/');
/**
 * A connection is closed when it has not asked for its upgrade by then: the HTTP server below
 * never listens, so Node's limit on a request's headers (60 s) does not run for it. A
 * connection passed on gets the web server's limits.
 */
const FIRST_BYTES_MS = 60_000;

/**
 * The site's port, accepted in the collaboration process (`process.ts`): a connection whose
 * first request is for `/collab/…` stays here and is upgraded without leaving the process;
 * every other connection is passed on, with the bytes read so far, to the web server's
 * process (`passOn`), which serves it as if it had accepted it.
 *
 * The other way round (the web server accepts everything and hands each `/collab/` socket
 * over) costs each connecting client two messages between the processes. With 500 docs × 3
 * clients connecting, that took 0.54–0.81 ms of CPU per connection in the two processes,
 * against 0.21–0.34 for the whole server in one process; this way, 0.26–0.33
 * (bench/RESULTS.md, 2026-12-03 10:23). Pages come over few, long-lived connections; live
 * editing opens one per tab and page.
 */
export function createFrontDoor(collab: Collab, passOn: (socket: Socket, head: Buffer) => void): Server {
  const upgrades = createHttpServer((req, res) => requireUpgrade(res));
  upgrades.on('upgrade', (req, socket: Socket, head: Buffer) => {
    sorted(socket); // the collaboration server watches its sockets from here
    collab.handleUpgrade(req, socket, head);
  });

  return createServer({ noDelay: true }, (socket) => {
    // Until it is sorted, a connection is closed on an error or when it stays silent (one
    // listener for all sockets: a closure here would keep the bytes read for as long as the
    // socket is open).
    socket.setTimeout(FIRST_BYTES_MS);
    socket.on('timeout', destroySocket);
    socket.on('error', destroySocket);
    let seen: Buffer | null = null;
    const onData = (chunk: Buffer) => {
      const head = seen ? Buffer.concat([seen, chunk]) : chunk;
      const compared = Math.min(head.length, COLLAB_REQUEST.length);
      const forCollab = head.subarray(0, compared).equals(COLLAB_REQUEST.subarray(0, compared));
      if (forCollab && compared < COLLAB_REQUEST.length) return void (seen = head); // too short to tell yet
      seen = null;
      socket.off('data', onData);
      if (forCollab) {
        // Put back before anyone listens for data: the HTTP server reads it first, then the rest.
        socket.unshift(head);
        upgrades.emit('connection', socket);
      } else {
        sorted(socket);
        passOn(socket, head);
      }
    };
    socket.on('data', onData);
  });
}

function destroySocket(this: Socket): void {
  this.destroy();
}

/** Where the connection goes is settled: whoever takes it over handles its errors and silence. */
function sorted(socket: Socket): void {
  socket.setTimeout(0);
  socket.off('timeout', destroySocket);
  socket.off('error', destroySocket);
}
