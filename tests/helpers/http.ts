import { inject } from 'vitest';

/** The running app's URL for a path. */
export function appUrl(path: string): string {
  return new URL(path, inject('baseUrl')).toString();
}

/** GET a path of the running app and parse JSON (the status is returned alongside). */
export async function getJson<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(appUrl(path));
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`GET ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}
