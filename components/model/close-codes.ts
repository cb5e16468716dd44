// Close codes of the collaboration socket (`/collab/<entityId>`) that mean "do not come back":
// the client stops reconnecting and shows the reason the server gave.

/** The session or token the socket was opened with was revoked. */
export const REVOKED_CLOSE = 4401;
/** The user no longer has access to the page. */
export const NO_ACCESS_CLOSE = 4403;
/** The client's change would take the page past its size limit; the change was not applied. */
export const PAGE_FULL_CLOSE = 4413;
/** The client's change breaks a rule of the page's content (a table cell spanning too far); it was not applied. */
export const CHANGE_REFUSED_CLOSE = 4422;

/** Whether a close code is one of the above (4400–4499). */
export const isTerminalClose = (code: number) => code >= 4400 && code < 4500;
