/**
 * Page furniture in the scraped source texts: shown de-emphasised, never cited, never edited.
 * Each pattern matches the furniture part of one line ("Open in new tab" trails a caption).
 */
export const BOILERPLATE_PATTERNS = [
  /Open in new tab$/,
  /^Home > .*$/,
  /^Table of Contents$/,
  /^References & Edit History$/,
  /^Time limit is exhausted\. Please reload the CAPTCHA\.$/,
];

/** The [start, end) ranges of furniture within one line, if any. */
export function boilerplateRanges(line: string): [number, number][] {
  return BOILERPLATE_PATTERNS.flatMap((re) => {
    const m = re.exec(line);
    return m ? [[m.index, m.index + m[0].length] as [number, number]] : [];
  });
}
