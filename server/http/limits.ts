/** Longest search text accepted; longer is a 400 (API) or a message (page). */
export const MAX_QUERY_LENGTH = 200;
/** Page sizes for list endpoints. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
