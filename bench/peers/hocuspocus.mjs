// Peer for bench/collab.ts: `@hocuspocus/server` with `@hocuspocus/extension-database`, storing
// the full document state in PostgreSQL `documents(name primary key, data)` on every change
// (debounce: 0, so each change triggers an onStoreDocument; stores of one doc are serialized by
// Hocuspocus' save mutex).
// Env: DATABASE_URL (required), PORT (0 = any free port), HOST (default 127.0.0.1).
// Prints `READY <port>` once listening; exits on SIGTERM/SIGINT.
import postgres from 'postgres';
import { Server } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
await sql`CREATE TABLE IF NOT EXISTS documents (name text PRIMARY KEY, data bytea NOT NULL)`;

const server = new Server({
  port: Number(process.env.PORT || 0),
  address: process.env.HOST || '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  debounce: 0,
  maxDebounce: 0,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        const [row] = await sql`SELECT data FROM documents WHERE name = ${documentName}`;
        return row ? new Uint8Array(row.data) : null;
      },
      store: async ({ documentName, state }) => {
        await sql`INSERT INTO documents (name, data) VALUES (${documentName}, ${state})
                  ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data`;
      },
    }),
  ],
});

await server.listen();
console.log(`READY ${server.address.port}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.race([server.destroy(), new Promise((r) => setTimeout(r, 3000))]).catch(() => {});
  await sql.end({ timeout: 2 }).catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
