import { cpus, totalmem } from 'node:os';

/** The p-th percentile of ascending-sorted numbers. */
export function percentile(sorted: number[], p: number): number {
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

/** GET a URL and read the whole body; throws on a non-200. */
export async function fetchOk(url: string, init?: RequestInit): Promise<string> {
  const res = await fetch(url, init);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return body;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
