import { openDatabase } from '@/db/client';
import { readConfig } from '@/server/config';
import { StartupError } from '@/db/startup-error';
import { seedDatabase } from './seed';

/** `npm run seed`: migrate and seed the configured database, then exit. */
async function main() {
  const config = readConfig();
  // Seeded while other processes starting on the same PostgreSQL database wait.
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    prepare: async (db) => void (await seedDatabase(db, { log: (line) => console.log(line) })),
  });
  await database.close();
}

main().catch((err) => {
  console.error(`Error: ${err instanceof StartupError ? err.message : (err as Error).message}`);
  process.exit(1);
});
