/** Calls the app's JSON API from the browser; a failure throws an Error carrying the API's message. */
export async function callApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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
