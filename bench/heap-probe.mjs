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
