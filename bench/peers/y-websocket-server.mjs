// Peer for bench/collab.ts: the stock `@y/websocket-server` (setupWSConnection) on an http
// server, persisting to PostgreSQL the way its persistence hook invites: bindState loads every
// stored update of the doc, then each doc 'update' becomes one INSERT into `updates(doc, update)`.
// Env: DATABASE_URL (required), PORT (0 = any free port), HOST (default 127.0.0.1).
// Prints `READY <port>` once listening; exits on SIGTERM/SIGINT.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import postgres from 'postgres';
import { setupWSConnection, setPersistence } from '@y/websocket-server/utils';

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
await sql`CREATE TABLE IF NOT EXISTS updates (doc text NOT NULL, update bytea NOT NULL)`;
await sql`CREATE INDEX IF NOT EXISTS updates_doc_idx ON updates (doc)`;

const LOADED = Symbol('loaded from postgres');
const toBuffer = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

setPersistence({
  provider: sql,
  bindState: async (docName, ydoc) => {
    // Subscribe first (synchronously): updates that arrive while the rows load are written too.
    ydoc.on('update', (update, origin) => {
      if (origin === LOADED) return;
      sql`INSERT INTO updates (doc, update) VALUES (${docName}, ${toBuffer(update)})`.catch((err) =>
        console.error(`could not persist an update of ${docName}: ${err.message}`),
      );
    });
    const rows = await sql`SELECT update FROM updates WHERE doc = ${docName}`;
    if (rows.length) Y.applyUpdate(ydoc, Y.mergeUpdates(rows.map((r) => r.update)), LOADED);
  },
  writeState: async () => {},
});

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));

server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1', () => {
  console.log(`READY ${server.address().port}`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const ws of wss.clients) ws.terminate();
  server.close();
  await sql.end({ timeout: 2 }).catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
