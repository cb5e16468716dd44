import { fork, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { authEvents, type AuthChange } from '@/server/auth/events';
import type { EntityContent } from '@/server/docs/entity-doc';
import { portError, type BoundPort } from '@/server/http/listen';
import { CollabUnavailable, type Collab, type UpgradeRequest } from './registry';
import { destroyOnError, rejectUpgrade } from './reject-upgrade';
import { sendSocket, type SocketChannel } from './send-socket';

/** Messages from the main process to the collaboration process. */
export type ToCollab =
  | { kind: 'listen' } // sent with the site's bound port: accept its connections
  | { kind: 'upgrade'; req: UpgradeRequest; head: string } // sent with the socket
  | { kind: 'call'; id: number; call: CollabCall }
  | { kind: 'auth'; change: AuthChange }
  | { kind: 'close' };
export type CollabCall =
  | { method: 'currentContent'; entityId: string }
  | { method: 'currentAuthorship'; entityId: string }
  | { method: 'projected'; entityId: string }
  | { method: 'restoreContent'; entityId: string; userId: string | null; content: EntityContent };
/** Messages from the collaboration process. */
export type FromCollab =
  | { kind: 'ready' }
  | { kind: 'listening'; error?: string }
  | { kind: 'connection'; head: string } // sent with a connection for the web server, and the bytes read of it
  | { kind: 'live'; changes: [entityId: string, open: boolean][] } // entities' docs open there (or edited through another instance a moment ago), or no longer, in order
  | { kind: 'reply'; id: number; result?: unknown; error?: string };

/** The collaboration server in its own process, which can also accept the site's connections. */
export type CollabProcess = Collab & {
  /**
   * The collaboration process accepts the connections on `port` (bound here) from now on, also
   * when it is started again: it keeps the `/collab/` ones and passes the others to `server`.
   */
  serveSite(port: BoundPort, server: Server): Promise<void>;
};

const ENTRY = join(process.cwd(), 'server', 'collab', 'process.ts');
/**
 * A collaboration process that stops unexpectedly is started again at once (new connections wait
 * for it in the port's queue; its clients reconnect); one that stops again within
 * `CRASH_LOOP_MS` of its start waits `RESTART_MS` first, so a crash loop does not spin.
 */
const RESTART_MS = 500;
const CRASH_LOOP_MS = 10_000;

/**
 * The web server's flags the collaboration process goes without. `--no-memory-reducer` keeps
 * V8 from a compacting GC of Next's heap (~50 MB) once a burst of page loads gives way to
 * typing (scripts/node-flags.ts). The collaboration process's heap is a third of that, and
 * there the reducer is what collects the garbage of a burst of connections while the server is
 * quiet: without it that garbage waits for the old generation to fill, which it does in the
 * middle of the next stretch of typing (9 of 13 major GCs in a run of the interleaved bench,
 * 5–13 ms each, fell in its fan-outs).
 */
const NOT_FOR_COLLAB = ['--no-memory-reducer'];

/**
 * The Node flags of the collaboration process, given the web server's: the same but those of
 * NOT_FOR_COLLAB, with the same loader (tsx through `--import`, or `npm start`'s register()).
 */
export function collabExecArgv(webServerArgv: string[]): string[] {
  const argv = webServerArgv.filter((arg) => !NOT_FOR_COLLAB.includes(arg));
  return argv.includes('tsx') ? argv : [...argv, '--import', 'tsx'];
}

/** Starts `process.ts` and resolves once it has opened the database and can take sockets. */
function spawnCollab(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = fork(ENTRY, [], { execArgv: collabExecArgv(process.execArgv), env, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the collaboration process exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('message', (message: FromCollab) => {
      child.off('exit', onExit);
      if (message.kind === 'ready') resolve(child);
      else reject(new Error('the collaboration process did not start'));
    });
  });
}

/** Has `proc` accept the site's connections on `port`; resolves when it listens. */
function openFrontDoor(proc: ChildProcess, port: BoundPort): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = () => reject(new Error('the collaboration process exited before it listened'));
    const onMessage = (message: FromCollab) => {
      if (message.kind !== 'listening') return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      if (message.error) reject(portError(port.port, message.error));
      else resolve();
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
    proc.send({ kind: 'listen' } satisfies ToCollab, port.handle as Socket);
  });
}

/**
 * The collaboration server in a process of its own (with PostgreSQL, which both processes can
 * open). With `serveSite` it accepts the site's connections itself and passes the web server
 * those that are not for `/collab/`; an upgrade on a connection the web server already has is
 * handed over. The socket server then runs without Next's heap and request-context hooks on
 * every write. Route handlers' calls become messages; a process that dies is started again and
 * its clients reconnect (their unsynced edits come back with them); new connections wait for it
 * in the kernel's queue meanwhile.
 */
export async function startCollabProcess(databaseUrl: string): Promise<CollabProcess> {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  let child: ChildProcess | null = await spawnCollab(env);
  let startedAt = Date.now();
  let closing = false;
  let site: { port: BoundPort; server: Server } | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  /** The entities whose docs the collaboration process has open, or heard of edits of through other instances (it says so): only those have projections to wait for. */
  const openDocs = new Set<string>();

  function attach(proc: ChildProcess): void {
    proc.on('message', (message: FromCollab, handle?: Socket) => {
      if (message.kind === 'connection' && handle) return takeConnection(handle, Buffer.from(message.head, 'base64'));
      if (message.kind === 'live') {
        for (const [entityId, open] of message.changes) {
          if (open) openDocs.add(entityId);
          else openDocs.delete(entityId);
        }
        return;
      }
      if (message.kind !== 'reply') return;
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error));
      else call?.resolve(message.result ?? null);
    });
    proc.once('exit', (code, signal) => {
      if (child === proc) child = null;
      openDocs.clear(); // a new process starts with none
      for (const call of pending.values()) call.reject(new CollabUnavailable());
      pending.clear();
      if (closing) return;
      console.error(`collab: the collaboration process stopped (${signal ?? code}); starting it again`);
      const delay = Date.now() - startedAt < CRASH_LOOP_MS ? RESTART_MS : 0;
      setTimeout(() => void restart(), delay).unref();
    });
  }

  /** A connection the collaboration process accepted for the web server: served as if accepted here. */
  function takeConnection(socket: Socket, head: Buffer): void {
    if (!site) return void socket.destroy();
    socket.setNoDelay(true);
    socket.unshift(head); // read first, before what the client sends next
    site.server.emit('connection', socket);
  }

  async function restart(): Promise<void> {
    if (closing) return;
    try {
      const proc = await spawnCollab(env);
      if (closing) return void proc.kill();
      child = proc;
      startedAt = Date.now();
      attach(proc);
      if (site) await openFrontDoor(proc, site.port);
    } catch (err) {
      console.error(`collab: could not start the collaboration process: ${(err as Error).message}`);
      setTimeout(() => void restart(), RESTART_MS * 4).unref();
    }
  }

  function call<T>(request: CollabCall): Promise<T | null> {
    if (!child?.connected) return Promise.reject(new CollabUnavailable());
    const id = nextId++;
    const message: ToCollab = { kind: 'call', id, call: request };
    return new Promise<T | null>((resolve, reject) => {
      pending.set(id, { resolve: (value) => resolve(value as T | null), reject });
      child!.send(message);
    });
  }

  const forwardAuth = (change: AuthChange) => {
    if (child?.connected) child.send({ kind: 'auth', change } satisfies ToCollab);
  };
  authEvents().on('change', forwardAuth);
  attach(child);

  return {
    async serveSite(port, server) {
      site = { port, server };
      if (child) await openFrontDoor(child, port);
    },
    handleUpgrade(req, socket, head) {
      destroyOnError(socket);
      if (closing || !child?.connected) return rejectUpgrade(socket, 503, new CollabUnavailable().message);
      // (A client sends nothing between its request and the 101, RFC 6455 4.1: no byte is left behind.)
      const message: ToCollab = { kind: 'upgrade', req: { method: req.method, url: req.url, headers: req.headers }, head: head.toString('base64') };
      sendSocket(child as SocketChannel, message, socket as Socket);
    },
    currentContent: (entityId) => call({ method: 'currentContent', entityId }),
    currentAuthorship: (entityId) => call({ method: 'currentAuthorship', entityId }),
    projected: async (entityId) => openDocs.has(entityId) && (await call<boolean>({ method: 'projected', entityId })) === true,
    restoreContent: (entityId, userId, content) => call({ method: 'restoreContent', entityId, userId, content }),
    async close() {
      closing = true;
      authEvents().off('change', forwardAuth);
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        // Without the channel it is already closing (it saw the disconnect).
        if (proc.connected) proc.send({ kind: 'close' } satisfies ToCollab);
        await exited;
      }
      site?.port.close(); // the port is free from here
    },
  };
}
