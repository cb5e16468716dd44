import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/** The p-th percentile of ascending-sorted numbers. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Times `rounds` sequential runs of `fn` (after a warm-up) and returns p50/p99 in ms. */
export async function timeIt(rounds: number, fn: (i: number) => Promise<void>, warmup = 10): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

// The measuring client: node:http over one kept-alive connection. Node's fetch (undici, web
// streams) adds ~1.5 ms at p50 and ~7 ms at p99 of its own here, which would be counted as
// the server's.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GET a URL (with `headers`, e.g. a session cookie) and read the whole body; throws on a non-200. */
export function fetchOk(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode} ${body.slice(0, 200)}`));
          else resolve(body);
        });
      })
      .on('error', reject);
  });
}

/**
 * Starts measuring how the machine's CPU time is spent; the returned function gives the
 * shares since then, from /proc/stat. `steal` is time the hypervisor gave to other guests: on
 * a shared VM it comes and goes by the hour, and every latency in a run moves with it.
 */
export function cpuShares(): () => { steal: number; idle: number; text: string } {
  const ticks = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const start = ticks();
  return () => {
    const spent = ticks().map((t, i) => t - start[i]);
    const total = spent.reduce((a, b) => a + b, 0) || 1;
    const [steal, idle] = [spent[7] / total, spent[3] / total];
    return { steal, idle, text: `CPU time stolen by the hypervisor: ${(steal * 100).toFixed(1)} % (idle ${(idle * 100).toFixed(1)} %)` };
  };
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

/**
 * Node flags for the server processes (ours, and the collab bench's peers): BENCH_NODE_ARGS (e.g. `--trace-gc`), and with
 * BENCH_PROFILE_DIR=<dir> a V8 CPU profile written there when the server stops.
 */
export function serverNodeArgs(): string[] {
  return [
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
    ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
  ];
}

/**
 * BENCH_SERVER_LOG=<file>: keeps everything our server printed (its GC trace, with BENCH_NODE_ARGS=--trace-gc);
 * a peer's (`peer`: its script, or `ours@<checkout folder>`) goes to `<file>.<peer>`.
 */
export function keepServerLog(output: string, peer?: string): void {
  if (!process.env.BENCH_SERVER_LOG) return;
  const file = peer ? `${process.env.BENCH_SERVER_LOG}.${peer}` : process.env.BENCH_SERVER_LOG;
  try {
    writeFileSync(file, output);
  } catch (err) {
    // Said, not thrown: a throw here, on stopping one server, left the others running.
    console.error(`[bench] could not keep the server's log in ${file}: ${(err as Error).message}`);
  }
}

/**
 * Keeps a server's output as `keepServerLog` does, also when the bench exits without stopping
 * it (a run that failed: the log says what the server saw). Returns what to call on stopping it.
 */
export function keepServerLogOnExit(output: () => string, peer?: string): () => void {
  const keep = () => keepServerLog(output(), peer);
  process.once('exit', keep);
  return () => {
    process.off('exit', keep);
    keep();
  };
}

/** Signs up `username` on our app and makes a personal access token: the session cookie and the token. */
export async function signUpWithToken(appUrl: string, username: string, password: string): Promise<{ cookie: string; token: string }> {
  const headers = { origin: appUrl, 'content-type': 'application/json' };
  const signup = await fetch(`${appUrl}/api/auth/signup`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0];
  const tokenRes = await fetch(`${appUrl}/api/tokens`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ name: 'bench' }) });
  if (!tokenRes.ok) throw new Error(`token failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const { token } = (await tokenRes.json()) as { token: string };
  return { cookie, token };
}

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The process and its descendants (our server runs its collaboration server in a child process on PostgreSQL). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU time (user + system, ms) in a `/proc/<pid>/stat` line. */
function cpuOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime (14) + stime (15)
}

/** CPU time (user + system, ms) and resident memory (KiB) of a process and its descendants. */
export function sampleProcess(pid: number): { cpuMs: number; rssKiB: number } {
  let cpuMs = 0;
  let rssKiB = 0;
  for (const p of processTree(pid)) {
    try {
      cpuMs += cpuOfStat(readFileSync(`/proc/${p}/stat`, 'utf8'));
      const rss = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rssKiB += rss ? Number(rss[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return { cpuMs, rssKiB };
}

/**
 * CPU time (user + system, ms) of every PostgreSQL process on the machine: the bench's server
 * is the only one here, and while the servers take turns (collab-interleaved.ts) what it does
 * is for the one that runs.
 */
export function postgresCpuMs(): number {
  let cpuMs = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.startsWith(`${pid} (postgres) `)) cpuMs += cpuOfStat(stat);
    } catch {
      // exited meanwhile
    }
  }
  return cpuMs;
}

/**
 * Node flags that load `bench/heap-probe.mjs` into a server (and the processes it forks, which
 * inherit them), for `liveHeap`. Sets BENCH_HEAP_DIR for the servers this process starts.
 */
export function heapProbeArgs(): string[] {
  if (!process.env.BENCH_HEAP_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'kb-bench-heap-'));
    process.env.BENCH_HEAP_DIR = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return ['--expose-gc', '--import', resolve('bench/heap-probe.mjs')];
}

/**
 * Bytes a process and its descendants keep live (V8 heap + external memory) right after a full
 * garbage collection, asked of each through the heap probe; undefined when a process has none.
 */
export async function liveHeap(pid: number, timeoutMs = 10_000): Promise<number | undefined> {
  const dir = process.env.BENCH_HEAP_DIR;
  if (!dir) return undefined;
  const pids = processTree(pid).filter((p) => existsSync(join(dir, `${p}.ready`)));
  if (pids.length === 0) return undefined;
  for (const p of pids) {
    rmSync(join(dir, `${p}.json`), { force: true });
    process.kill(p, 'SIGUSR2');
  }
  let total = 0;
  for (const p of pids) {
    const file = join(dir, `${p}.json`);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(file)) {
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { heapUsed, external } = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; external: number };
    total += heapUsed + external;
  }
  return total;
}
