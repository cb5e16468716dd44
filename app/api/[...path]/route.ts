import { errorResponse } from '@/server/http/api';

/** Any /api path no route handles: a JSON 404, not the HTML not-found page. */
function notFound(request: Request): Response {
  return errorResponse('not_found', `No API endpoint ${request.method} ${new URL(request.url).pathname}`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
