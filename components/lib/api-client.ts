/** What a form says when the request never reached the server (the browser's own words are "Failed to fetch"). */
export const UNREACHABLE_MESSAGE = 'Could not reach the server: check your connection and try again.';
/** What a search-as-you-type says when the server answered it with an error. */
export const SEARCH_FAILED_MESSAGE = 'The search failed; type on to try again.';

/** Calls the app's JSON API from the browser; a failure throws an Error carrying the API's message. */
export async function callApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(UNREACHABLE_MESSAGE);
  }
  if (!res.ok) {
    let message = `The request failed (${res.status}).`;
    try {
      message = ((await res.json()) as { error: { message: string } }).error.message;
    } catch {
      // not JSON: keep the generic message
    }
    throw new Error(message);
  }
  return (res.status === 204 ? null : await res.json()) as T;
}
