/**
 * The Node flags the server runs with: `npm start` and `npm run serve` pass them (package.json,
 * kept in step by node-flags.test.ts), and so do the tests' and benchmarks' servers.
 *
 * `--no-memory-reducer`: V8's memory reducer waits for a process's allocation rate to drop after
 * a busy stretch and then runs up to three compacting full GCs to give memory back. With
 * Next's ~50 MB heap in the process, the first of them stopped the server for 54 ms: every
 * collaborator's edits waited, right when a burst of page loads gave way to typing (the
 * collaboration bench's slowest deliveries, 55–68 ms; 15–27 ms without it). The heap then
 * shrinks only through the ordinary GCs, so the process keeps more memory after a burst
 * (121 MB committed instead of 55 MB in that trace). A flag of V8's own: `NODE_OPTIONS`
 * cannot carry it, and setting it once the process runs has no effect. The collaboration
 * process, with a third of that heap, runs without it (server/collab/child.ts).
 */
export const SERVER_NODE_FLAGS = ['--no-memory-reducer'];
