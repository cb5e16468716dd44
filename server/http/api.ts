import { z } from 'zod';
import { loggable } from '@/db/errors';

export type ErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'internal' | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** An error meant for the API client: its message is safe to show. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `{error: {code, message}}` with the code's HTTP status. */
export function errorResponse(code: ErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status: STATUS[code] });
}

/**
 * Wraps a route handler: ApiErrors become their JSON error, anything else is logged and
 * answered 500 without details (never a stack trace to the client).
 */
export function apiRoute<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err.code, err.message);
      console.error('API error:', loggable(err));
      return errorResponse('internal', 'Internal server error');
    }
  };
}

/** Parses URL query parameters with a zod schema; a mismatch is a 400 naming the parameter. */
export function parseQuery<T extends z.ZodType>(url: string, schema: T): z.infer<T> {
  const params = Object.fromEntries(new URL(url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('bad_request', `Invalid query parameter ${issue.path.join('.') || ''}: ${issue.message}`.replace('  ', ' '));
  }
  return parsed.data;
}

/** Validates a parsed JSON body with a zod schema; a mismatch is a 400 naming the field. */
export function parseBody<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    throw new ApiError('bad_request', field ? `${field}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}
