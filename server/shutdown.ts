import { failureOf } from '@/db/errors';

type Closer = { name: string; close: () => Promise<void> | void };

const closers: Closer[] = [];
let shuttingDown = false;

/** Registers work to finish on shutdown; closers run in reverse order of registration. */
export function onShutdown(name: string, close: Closer['close']): void {
  closers.push({ name, close });
}

/** True once a shutdown has begun (new work should be refused). */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

/**
 * Stops the process in order: each closer (stop accepting, flush pending writes, close the
 * database), then exit. A closer that hangs cannot hold the process past `deadlineMs`.
 */
export async function shutdown(reason: string, exitCode = 0, deadlineMs = 5000): Promise<never> {
  if (shuttingDown) return new Promise<never>(() => {});
  shuttingDown = true;
  if (exitCode === 0) console.log(`Shutting down (${reason})…`);
  const deadline = setTimeout(() => {
    console.error(`Shutdown took longer than ${deadlineMs} ms; exiting anyway.`);
    process.exit(1);
  }, deadlineMs);
  let code = exitCode;
  for (const closer of [...closers].reverse()) {
    try {
      await closer.close();
    } catch (err) {
      code = 1;
      console.error(`Shutdown: ${closer.name} failed: ${failureOf(err)}`);
    }
  }
  clearTimeout(deadline);
  process.exit(code);
}
