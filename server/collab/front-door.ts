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
/** How often connections not yet sorted are checked against FIRST_BYTES_MS. */
const SWEEP_MS = 5_000;

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

  // Connections not sorted yet, by when they were accepted; one timer for all of them. (A
  // socket's own setTimeout would leave it holding a Timeout and a bound function for as long
  // as it is open, 0.5 KiB per loaded doc with three clients each.)
  const unsorted = new Map<Socket, number>();
  const sweep = setInterval(() => {
    const cutoff = Date.now() - FIRST_BYTES_MS;
    for (const [socket, acceptedAt] of unsorted) {
      if (acceptedAt > cutoff) break; // in the order they were accepted
      unsorted.delete(socket);
      socket.destroy();
    }
  }, SWEEP_MS).unref();
  function forgetUnsorted(this: Socket): void {
    unsorted.delete(this);
  }
  function sorted(socket: Socket): void {
    unsorted.delete(socket);
    socket.off('close', forgetUnsorted);
    socket.off('error', destroySocket); // whoever takes it over handles its errors
  }

  const door = createServer({ noDelay: true }, (socket) => {
    // Until it is sorted, a connection is closed on an error or when it stays silent (listeners
    // shared by all sockets: a closure here would stay for as long as the socket is open).
    unsorted.set(socket, Date.now());
    socket.on('error', destroySocket);
    socket.on('close', forgetUnsorted);
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
  door.once('close', () => clearInterval(sweep));
  return door;
}

function destroySocket(this: Socket): void {
  this.destroy();
}
