// What the body keeps whoever edits it: rules shared by the editor, the pages and the
// collaboration server (which loads this, not the editor's extensions).

/** Only these link protocols survive parsing or pasting; anything else (javascript:, data:) is dropped. */
export const ALLOWED_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'];

/** True for http(s), mailto and relative URLs. */
export function isAllowedHref(href: string): boolean {
  const trimmed = href.trim();
  if (/^(\/(?!\/)|#|\?|\.\.?\/)/.test(trimmed)) return true;
  try {
    return ALLOWED_LINK_PROTOCOLS.includes(new URL(trimmed).protocol);
  } catch {
    return false;
  }
}

/**
 * The most columns or rows one table cell may span, as HTML itself allows a column span (a
 * browser shows colspan="5000" as 1000). Every editor maps a table cell by cell, so a cell
 * spanning millions would stall the page of everyone editing it: a pasted span is cut to this,
 * and the collaboration server refuses a change that sets a larger one.
 */
export const MAX_TABLE_SPAN = 1000;
