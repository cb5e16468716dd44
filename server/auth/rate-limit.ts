import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '@/db/client';

export type LimitState = { limited: boolean; /** Seconds until the key's window resets (0 when not limited). */ retryAfter: number };

/** Expired counters are swept after this many events in a process. */
const SWEEP_EVERY = 100;

/**
 * Fixed-window counters per key (e.g. "login:<ip>"), in the database (`rate_limits`), so every
 * instance serving it counts against one limit. Windows up to a day long.
 */
export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const window = sql`make_interval(secs => ${windowMs / 1000})`;
  let events = 0;
  return {
    /** Records one event for the key: is it over the limit? */
    async hit(db: Db, key: string): Promise<LimitState> {
      // A window that ended starts again with this event (the CASEs read the row as it was).
      const [row] = resultRows<{ count: number; retry_after: number }>(
        await db.execute(sql`
          insert into rate_limits as r (key, window_start, "count") values (${key}, now(), 1)
          on conflict (key) do update set
            window_start = case when r.window_start <= now() - ${window} then now() else r.window_start end,
            "count" = case when r.window_start <= now() - ${window} then 1 else r."count" + 1 end
          returning "count", ceil(extract(epoch from r.window_start + ${window} - now()))::int as retry_after`),
      );
      if (++events % SWEEP_EVERY === 0) await db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`);
      return row.count > limit ? { limited: true, retryAfter: Math.max(1, row.retry_after) } : { limited: false, retryAfter: 0 };
    },
    /** Has the key used up its limit in its current window? (Counts nothing.) */
    async check(db: Db, key: string): Promise<LimitState> {
      const [row] = resultRows<{ count: number; retry_after: number }>(
        await db.execute(sql`
          select "count", ceil(extract(epoch from window_start + ${window} - now()))::int as retry_after
          from rate_limits where key = ${key} and window_start > now() - ${window}`),
      );
      return row && row.count >= limit ? { limited: true, retryAfter: Math.max(1, row.retry_after) } : { limited: false, retryAfter: 0 };
    },
  };
}
