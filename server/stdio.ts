/**
 * Keeps a process quiet once what it logs has nowhere to go: its stdout or stderr is a pipe
 * whose reader has gone (a terminal closed, a `| tee` or a supervisor stopped). Without a
 * listener, a failed write's error is an uncaught exception, which Next's handler logs to that
 * same output. A test server orphaned by a timed-out test was seen writing "Error: write EPIPE"
 * to its closed stderr, failing, for 40 minutes on one core (not reproduced since). Errors of the
 * process's own output have nowhere to be reported, so they are dropped.
 */
export function dropOutputErrors(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}
