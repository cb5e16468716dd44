import { createHash, randomBytes } from 'node:crypto';

/** A new random secret, url-safe, with a readable prefix (`kbs_` sessions, `kbt_` tokens). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored only as their sha256. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
