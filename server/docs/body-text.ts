import type { BodyJson, CitationRef } from '@/db/schema';
import { isUuid } from '@/components/model/ids';
import { isCitation } from '@/components/model/statements';

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'listItem', 'tableRow', 'bulletList', 'orderedList', 'table']);

/** The body as plain text: blocks on their own lines, entity links by their label, citations left out. */
export function bodyToText(node: BodyJson): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'entityLink') return String(node.attrs?.label ?? '');
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'citation') return '';
  const inner = (node.content ?? []).map(bodyToText).join(node.type === 'tableRow' ? '\t' : '');
  return BLOCKS.has(node.type) ? `${inner.trim()}\n` : inner;
}

/** Every node of a type in document order. */
function collect(node: BodyJson, type: string, out: BodyJson[] = []): BodyJson[] {
  if (node.type === type) out.push(node);
  for (const child of node.content ?? []) collect(child, type, out);
  return out;
}

// Any client can write anything into a body: a link or citation that is not one is left out.

/** Ids of the entities the body links to, in order, without repeats. */
export function bodyEntityLinks(body: BodyJson): string[] {
  return [...new Set(collect(body, 'entityLink').map((n) => String(n.attrs?.entityId ?? '')).filter(isUuid))];
}

/** The citations in the body, in order. */
export function bodyCitations(body: BodyJson): CitationRef[] {
  return collect(body, 'citation').flatMap((n) => {
    const citation = { sourceId: n.attrs?.sourceId, start: n.attrs?.start, end: n.attrs?.end, quote: n.attrs?.quote };
    return isCitation(citation) ? [citation] : [];
  });
}
