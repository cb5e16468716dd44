import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * The error to log for `err`: a failed query's own error (PostgreSQL's, with its code and stack)
 * rather than drizzle's wrapper, whose message holds the whole statement and every parameter (a
 * compaction's: the page's snapshot, a megabyte of numbers, and the page's text with it).
 */
export function loggable(err: unknown): unknown {
  return err instanceof DrizzleQueryError && err.cause ? err.cause : err;
}

/** What went wrong, in a line for the log (see `loggable`). */
export function failureOf(err: unknown): string {
  const shown = loggable(err);
  return shown instanceof Error ? shown.message : String(shown);
}
