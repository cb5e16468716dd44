// Loaded into every server the collaboration bench starts (`--expose-gc --import
// ./bench/heap-probe.mjs`, collaboration processes included): on SIGUSR2 it runs a full garbage
// collection and writes what stays live, so the bench can tell memory a loaded doc keeps from
// heap the process has merely grown to. RSS growth alone mixes the two: a process with a bigger
// heap (ours carries Next) grows its heap in bigger steps.
// Writes `${BENCH_HEAP_DIR}/<pid>.json`: {heapUsed, external} in bytes (external includes
// ArrayBuffers: Yjs updates, socket buffers). A `<pid>.ready` file says the probe is loaded, so
// the bench never sends SIGUSR2 to a process that would die of it.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_HEAP_DIR;
if (dir && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', async () => {
    // Three passes with a turn of the event loop between them: what FinalizationRegistry
    // callbacks and weak callbacks release (they run after a GC, as tasks) is collected too.
    // Each is V8's last-resort collection, which compacts the heap: an ordinary full GC leaves
    // pages fragmented, and their unusable gaps count as used (the same code measured 16.0 to
    // 19.5 KiB per doc from run to run; compacted, within 1 %).
    for (let pass = 0; pass < 3; pass++) {
      globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { heapUsed, external } = process.memoryUsage();
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ heapUsed, external }));
    renameSync(`${file}.tmp`, file); // the bench reads it once it exists: never half-written
  });
  writeFileSync(join(dir, `${process.pid}.ready`), '');
}

// BENCH_GC_LOG=<prefix>: every GC of this process as a line of `<prefix>.<pid>`: its start (ms
// since the epoch, the clock the bench's edit log uses), duration (ms) and kind, to line up
// with the slowest edits.
if (process.env.BENCH_GC_LOG) {
  const { PerformanceObserver, performance, constants } = await import('node:perf_hooks');
  const { appendFileSync } = await import('node:fs');
  const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' };
  const file = `${process.env.BENCH_GC_LOG}.${process.pid}`;
  new PerformanceObserver((list) => {
    const lines = list.getEntries().map((e) => `${(performance.timeOrigin + e.startTime).toFixed(3)} ${e.duration.toFixed(3)} ${kinds[e.detail?.kind] ?? e.detail?.kind}\n`);
    appendFileSync(file, lines.join(''));
  }).observe({ entryTypes: ['gc'] });
}

// BENCH_SOCKET_LOG=<prefix>: every read and write of this process's TCP sockets, written at exit to
// `<prefix>.<pid>` as lines of `µs kind local remote bytes`: the monotonic clock in µs (the clock
// of the edit log's first field), `r` (data read) or `w` (a write handed to the socket), and the
// socket's local and remote ports (a client's socket has the server's port as its local one).
// Lines up an edit's arrival at the server and its writes to the readers and the database with
// when the bench sent and received it (bench/socket-stages.mjs). Reads through `onread` (the
// bench's bare readers) emit no 'data' and are not seen.
if (process.env.BENCH_SOCKET_LOG) {
  const net = await import('node:net');
  const { writeFileSync } = await import('node:fs');
  let events = new Float64Array(5 * 65_536);
  let n = 0;
  const ports = new WeakMap();
  const record = (socket, kind, bytes) => {
    let port = ports.get(socket);
    if (port === undefined) {
      port = [socket.localPort ?? 0, socket.remotePort ?? 0];
      if (socket.remotePort) ports.set(socket, port); // not yet connected: asked again next time
    }
    if (n + 5 > events.length) {
      const grown = new Float64Array(events.length * 2);
      grown.set(events);
      events = grown;
    }
    events[n++] = Number(process.hrtime.bigint() / 1000n);
    events[n++] = kind;
    events[n++] = port[0];
    events[n++] = port[1];
    events[n++] = bytes;
  };
  const { emit, write } = net.Socket.prototype;
  net.Socket.prototype.emit = function (event, chunk, ...rest) {
    if (event === 'data') record(this, 0, chunk.length);
    return emit.call(this, event, chunk, ...rest);
  };
  net.Socket.prototype.write = function (chunk, ...rest) {
    record(this, 1, chunk?.length ?? 0);
    return write.call(this, chunk, ...rest);
  };
  process.on('exit', () => {
    const lines = [];
    for (let i = 0; i < n; i += 5) lines.push(`${events[i]} ${events[i + 1] ? 'w' : 'r'} ${events[i + 2]} ${events[i + 3]} ${events[i + 4]}`);
    writeFileSync(`${process.env.BENCH_SOCKET_LOG}.${process.pid}`, `${lines.join('\n')}\n`);
  });
}
