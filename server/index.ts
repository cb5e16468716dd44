import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import next from 'next';
import { openDatabase } from '@/db/client';
import { StartupError } from '@/db/startup-error';
import { seedDatabase } from '@/db/seed/seed';
import { readConfig } from './config';
import { createCollabServer } from './collab/collab-server';
import { startCollabProcess, type CollabProcess } from './collab/child';
import { bindPort, listen } from './http/listen';
import { createPageCache } from './http/page-cache';
import { discardUnreadBody } from './http/unread-body';
import { registerCollab, type Collab } from './collab/registry';
import { requireUpgrade } from './collab/reject-upgrade';
import { onShutdown, shutdown } from './shutdown';
import { loggable } from '@/db/errors';
import { dropOutputErrors } from './stdio';

function decodablePath(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0]);
    return true;
  } catch {
    return false;
  }
}

function isCollabPath(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith('/collab/');
}

async function main(): Promise<void> {
  const config = readConfig();
  // Next renders in production mode unless started with --dev.
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: config.dev ? 'development' : 'production' });
  // Next would add its own 'upgrade' listener to the server that first hands it a request and
  // route every WebSocket upgrade a second time; we dispatch upgrades ourselves (below), so it
  // gets a server object that never emits any.
  const upgradeSink = new EventEmitter() as unknown as Server;
  const app = next({ dev: config.dev, dir: process.cwd(), hostname: config.host ?? 'localhost', port: config.port, httpServer: upgradeSink });
  await app.prepare();

  let ownProcess = null as Promise<CollabProcess> | null; // started in `prepare`
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // Other instances starting on the same PostgreSQL database wait until this is done.
    prepare: async (db) => {
      // Its own process starts (and loads its modules) while the seed runs.
      ownProcess = config.collabProcess && config.databaseUrl ? startCollabProcess(config.databaseUrl) : null;
      ownProcess?.catch(() => {}); // awaited below
      if (config.seed) await seedDatabase(db, { log: (line) => console.log(line) });
    },
  });
  onShutdown('database', () => database.close());
  const own = ownProcess ? await ownProcess : null;
  const collab: Collab = own ?? createCollabServer(database.db, { notifications: database.notifications, databaseUrl: database.url });
  registerCollab(collab);

  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const pageCache = createPageCache(database.db, { maxBytes: config.pageCacheBytes });
  const server = createServer(async (req, res) => {
    // Next answers an address with broken percent-encoding (`/wiki/%ff`) with a 500: refuse it here.
    if (!decodablePath(req.url ?? '/')) {
      const api = (req.url ?? '').startsWith('/api/');
      res.writeHead(400, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8' });
      const message = 'The address contains a malformed percent-encoded character.';
      return void res.end(api ? JSON.stringify({ error: { code: 'bad_request', message } }) : `Bad request: ${message}\n`);
    }
    if (isCollabPath(req)) return requireUpgrade(res);
    // Not-found pages get no params; they read the requested path from this header.
    req.headers['x-kb-path'] = (req.url ?? '/').slice(0, 2048);
    // Rate limits key on the address we saw, never on one a client claims.
    req.headers['x-kb-client-ip'] = req.socket.remoteAddress ?? 'unknown';
    discardUnreadBody(req, res);
    if (await pageCache.serve(req, res).catch(() => false)) return;
    handle(req, res).catch((err) => {
      console.error('Request failed:', loggable(err));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal server error' } }));
    });
  });
  // Every connection serving requests, accepted here or passed on by the collaboration process
  // (an upgraded one belongs to the collaboration server, which closes it first). One listener
  // function for all of them: a closure per connection would stay as long as a live-editing socket.
  const connections = new Set<Socket>();
  function forget(this: Socket): void {
    connections.delete(this);
  }
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.on('close', forget);
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    connections.delete(socket);
    socket.off('close', forget);
    if (isCollabPath(req)) collab.handleUpgrade(req, socket, head);
    else if (config.dev) void nextUpgrade(req, socket, head); // hot reload in development
    else socket.destroy();
  });

  // Registered after the database, so they run before it closes: the collaboration server
  // closes its sockets (and, in its own process, stops accepting), then the requests under way
  // here get a second to finish.
  onShutdown('http', async () => {
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
    await Promise.all([...connections].map((socket) => new Promise((resolve) => socket.once('close', resolve))));
  });
  onShutdown('collaboration', () => collab.close());

  let port: number;
  if (own) {
    // Its own process accepts the connections and passes this server those that are not for `/collab/`.
    const bound = await bindPort(config.port, config.host);
    await own.serveSite(bound, server);
    server.emit('listening'); // Node's limits on slow requests start with it
    port = bound.port;
  } else {
    await listen(server, config.port, config.host);
    port = (server.address() as AddressInfo).port;
  }
  const where = database.kind === 'pglite' ? ` in ${config.dataDir}` : '';
  console.log(`Ready on http://localhost:${port} (database: ${database.kind}${where}; collaboration: ${ownProcess ? 'own process' : 'in process'}; Node ${process.versions.node})`);
}

dropOutputErrors();
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

main().catch((err: unknown) => {
  if (err instanceof StartupError) console.error(`Error: ${err.message}`);
  else console.error(`Error: could not start: ${(err as Error)?.message ?? String(err)}`);
  void shutdown('startup failed', 1);
});
