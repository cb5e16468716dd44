// The collaboration server's own process (see child.ts). It accepts the site's connections on
// the port the main process bound and sends it (front-door.ts), keeps those for `/collab/` and
// passes the others on to the main process; the main process hands over the `/collab/` upgrades
// that arrive on its own connections, and sends route handlers' calls and revocations as messages.
import type { Server, Socket } from 'node:net';
import { openDatabase } from '@/db/client';
import { announceAuthChange } from '@/server/auth/events';
import { createCollabServer } from './collab-server';
import type { CollabCall, FromCollab, ToCollab } from './child';
import { createFrontDoor } from './front-door';
import { sendSocket, type SocketChannel } from './send-socket';
import type { Collab } from './registry';
import { failureOf } from '@/db/errors';
import { dropOutputErrors } from '@/server/stdio';

/** Closing (sockets told, pending updates written, database closed) may take this long before the process exits anyway. */
const CLOSE_DEADLINE_MS = 4000;

function send(message: FromCollab): void {
  if (process.connected) process.send!(message);
}

/** How long a doc's opening or closing may wait to be told to the main process, with the others of that time. */
const LIVE_TELL_MS = 20;

/**
 * Tells the main process which docs open and close, those of LIVE_TELL_MS together: a burst of
 * connections opens hundreds of docs, and each message costs both processes a system call and a
 * wake-up (0.35 ms of the collaboration process on average while 500 docs' clients connected:
 * 3,000 messages in two blocks of the interleaved bench, a sixth of its time). A page view of a
 * doc opened that moment ago has nothing to wait for anyway.
 */
function liveDocsTeller(): (entityId: string, open: boolean) => void {
  let changes: [string, boolean][] = [];
  return (entityId, open) => {
    if (changes.length === 0) {
      setTimeout(() => {
        send({ kind: 'live', changes });
        changes = [];
      }, LIVE_TELL_MS).unref();
    }
    changes.push([entityId, open]);
  };
}

function answer(collab: Collab, call: CollabCall) {
  switch (call.method) {
    case 'currentContent':
      return collab.currentContent(call.entityId);
    case 'currentAuthorship':
      return collab.currentAuthorship(call.entityId);
    case 'projected':
      return collab.projected(call.entityId);
    case 'restoreContent':
      return collab.restoreContent(call.entityId, call.userId, call.content);
  }
}

async function main(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '', genericPlans: true });
  // The main process keeps the list of open docs, so that a page view of one that is not open costs no message.
  const collab = createCollabServer(database.db, { notifications: database.notifications, onLive: liveDocsTeller(), databaseUrl: database.url });
  const passOn = (socket: Socket, head: Buffer) => sendSocket(process as SocketChannel, { kind: 'connection', head: head.toString('base64') } satisfies FromCollab, socket);
  let frontDoor: Server | null = null;
  let closing = false;
  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(1), CLOSE_DEADLINE_MS).unref();
    try {
      frontDoor?.close(); // no new connections; those open are closed by their owners
      await collab.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  }

  process.on('message', (message: ToCollab, handle?: Socket) => {
    switch (message.kind) {
      case 'listen': {
        if (frontDoor?.listening) send({ kind: 'listening' }); // asked again (a restart and a start crossing)
        if (!handle || frontDoor || closing) break;
        const door = createFrontDoor(collab, passOn);
        frontDoor = door;
        let listening = false;
        door.on('error', (err: NodeJS.ErrnoException) => {
          if (!listening) send({ kind: 'listening', error: err.code ?? err.message });
          else console.error(`collab: could not accept a connection: ${err.message}`); // e.g. out of file descriptors for a moment
        });
        door.listen(handle, () => {
          listening = true;
          send({ kind: 'listening' });
        });
        break;
      }
      case 'upgrade':
        if (handle) collab.handleUpgrade(message.req, handle, Buffer.from(message.head, 'base64'));
        break;
      case 'call':
        answer(collab, message.call).then(
          (result) => send({ kind: 'reply', id: message.id, result }),
          (err: Error) => send({ kind: 'reply', id: message.id, error: failureOf(err) }),
        );
        break;
      case 'auth':
        announceAuthChange(message.change);
        break;
      case 'close':
        void close();
        break;
    }
  });
  // The main process is gone (even killed with SIGKILL): write what is pending, then exit.
  process.on('disconnect', () => void close());
  // Ctrl+C reaches the whole process group; the main process says when to close.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  send({ kind: 'ready' });
}

dropOutputErrors();
main().catch((err: unknown) => {
  console.error(`collab: could not start: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
