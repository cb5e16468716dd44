// The many-docs scenario's clients (500 docs × 3), in a process of their own: collab-interleaved.ts
// starts one per server. In the bench's own process, 1,500 clients connecting made the bench
// itself the bottleneck (busy 760 of 830 ms while they connected), beside every server's
// fan-out clients and their garbage. Asked `{spec, docs}` over IPC, it connects, makes the
// edits, waits for the deliveries, closes, and answers `ManyDocsResult`; it runs until told
// `{exit: true}` (its code stays optimised from one block to the next).
import { TIMEOUT_MS, clientsFor, connectManyDocs, editManyDocs, sentAt, waitFor, type ClientSpec } from './collab-lib';
import { postgresCpuMs, sampleProcess } from './lib';

/** `serverPid`: the server's process, whose CPU during the connect is reported. */
export type ManyDocsRequest = { spec: ClientSpec; docs: string[]; serverPid: number } | { exit: true };
/** CPU time (ms) each part used while the clients connected and synced: the server (its process tree), PostgreSQL, and this process. */
export type ConnectCpu = { server: number; postgres: number; clients: number };
export type ManyDocsResult = { connectMs: number; connectCpu: ConnectCpu; latencies: number[]; lost: number; reconnects: number; error?: string };

// Every y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0);

async function run({ spec, docs, serverPid }: Extract<ManyDocsRequest, { spec: ClientSpec }>): Promise<ManyDocsResult> {
  (globalThis as { gc?: () => void }).gc?.(); // the last block's clients, collected before this one
  const latencies: number[] = [];
  const cpuBefore = { server: sampleProcess(serverPid).cpuMs, postgres: postgresCpuMs(), clients: process.cpuUsage() };
  const started = performance.now();
  const clients = await connectManyDocs(clientsFor(spec), docs, (k, at) => void latencies.push(at - sentAt[k]));
  const connectMs = performance.now() - started;
  const clientsCpu = process.cpuUsage(cpuBefore.clients);
  const connectCpu = {
    server: sampleProcess(serverPid).cpuMs - cpuBefore.server,
    postgres: postgresCpuMs() - cpuBefore.postgres,
    clients: (clientsCpu.user + clientsCpu.system) / 1000,
  };
  try {
    const expected = await editManyDocs(clients);
    const error = await waitFor(() => latencies.length >= expected, TIMEOUT_MS, `${expected} deliveries`).then(
      () => undefined,
      (err: Error) => err.message,
    );
    return { connectMs, connectCpu, latencies, lost: Math.max(0, expected - latencies.length), reconnects: clients.reduce((a, c) => a + c.closes(), 0), error };
  } finally {
    for (const client of clients) client.destroy();
  }
}

process.on('message', (request: ManyDocsRequest) => {
  if ('exit' in request) process.exit(0);
  void run(request).then((result) => process.send!(result));
});
