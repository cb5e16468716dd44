import { createRateLimiter } from './rate-limit';

const KEY = Symbol.for('kb.auth-limiters');
type Limiters = { signup: ReturnType<typeof createRateLimiter>; failedLogin: ReturnType<typeof createRateLimiter> };
const holder = globalThis as { [KEY]?: Limiters };

/**
 * Per-address limits on sign-ups and failed sign-ins (SIGNUP_LIMIT per hour, default 20;
 * LOGIN_FAILURE_LIMIT per 15 minutes, default 10), counted in the database across instances.
 */
export function authLimiters(): Limiters {
  holder[KEY] ??= {
    signup: createRateLimiter({ limit: Number(process.env.SIGNUP_LIMIT || 20), windowMs: 3600_000 }),
    failedLogin: createRateLimiter({ limit: Number(process.env.LOGIN_FAILURE_LIMIT || 10), windowMs: 15 * 60_000 }),
  };
  return holder[KEY];
}
