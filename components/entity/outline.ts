import type { DocNode } from './DocBody';
import type { ContentsEntry } from './TableOfContents';

/** A section of an article as its table of contents lists it, with the heading it is. */
export type OutlineEntry = ContentsEntry & { node: DocNode };

/** Wikipedia shows a table of contents once an article has more than three headings. */
export const CONTENTS_FROM_HEADINGS = 4;

/** A heading's level as pages show it: 2 to 4 (the page's title is the only level 1). */
export function headingLevel(node: DocNode): 2 | 3 | 4 {
  return Math.min(Math.max(Number(node.attrs?.level) || 2, 2), 4) as 2 | 3 | 4;
}

/** What a heading reads as: its text and the labels of its entity links (citation marks say nothing). */
export function headingText(node: DocNode, entities: Record<string, { title: string }>): string {
  const parts: string[] = [];
  const walk = (n: DocNode) => {
    if (n.type === 'text') parts.push(n.text ?? '');
    else if (n.type === 'entityLink') parts.push(String(n.attrs?.label || entities[String(n.attrs?.entityId ?? '')]?.title || ''));
    else if (n.type === 'hardBreak') parts.push(' ');
    else for (const child of n.content ?? []) walk(child);
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/**
 * A heading's anchor as Wikipedia makes it: the text with spaces as underscores ("Early_life"),
 * the second of two equal headings "Early_life_2". The page's own anchors ("relations",
 * "ref-1", "refs-heading") are lower case, digits and hyphens only; a heading's anchor that
 * would look like one ends in an underscore, so no heading can take an anchor the page uses.
 */
function anchorFor(text: string, taken: Set<string>): string {
  let base = text.replace(/ /g, '_');
  if (/^[a-z0-9-]+$/.test(base)) base += '_';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/**
 * The sections of an article: its top-level headings with text, in order, each with its anchor and its
 * number (a level-3 heading under the second level-2 one is "2.1"; a heading deeper than the one
 * before it by more than a level is one deeper, as Wikipedia numbers them).
 */
export function outlineOf(doc: DocNode, entities: Record<string, { title: string }>): OutlineEntry[] {
  const taken = new Set<string>();
  const open: number[] = []; // the levels of the headings the next one may be under
  const counters: number[] = [];
  const entries: OutlineEntry[] = [];
  for (const node of doc.content ?? []) {
    const text = node.type === 'heading' ? headingText(node, entities) : '';
    if (!text) continue; // an empty heading has nothing to list
    const level = headingLevel(node);
    while (open.length && open[open.length - 1] >= level) open.pop();
    open.push(level);
    const depth = open.length;
    counters.length = depth;
    counters[depth - 1] = (counters[depth - 1] ?? 0) + 1;
    entries.push({ id: anchorFor(text, taken), depth, number: counters.join('.'), text, node });
  }
  return entries;
}
