import type { BodyJson, CitationRef } from '@/db/schema';

type Resolve = (slug: string) => { id: string; title: string };

/**
 * Turns curated text into inline ProseMirror nodes: `[[slug]]` / `[[slug|text]]` become entity
 * links and `[n]` becomes citation n of the entity. Returns the nodes and the citations used.
 */
export function markupToInline(text: string, citations: CitationRef[], resolve: Resolve): { nodes: BodyJson[]; used: Set<number> } {
  const nodes: BodyJson[] = [];
  const used = new Set<number>();
  const pattern = /\[\[([^\]|]+)(?:\|([^\]]+))?\]\]|\[(\d+)\]/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) nodes.push({ type: 'text', text: text.slice(last, m.index) });
    if (m[1]) {
      const target = resolve(m[1]);
      nodes.push({ type: 'entityLink', attrs: { entityId: target.id, label: m[2] ?? target.title } });
    } else {
      const n = Number(m[3]);
      const citation = citations[n - 1];
      if (!citation) throw new Error(`citation [${n}] does not exist`);
      used.add(n - 1);
      nodes.push({ type: 'citation', attrs: { ...citation } });
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push({ type: 'text', text: text.slice(last) });
  // Whitespace right before a citation marker reads badly: "claim [1]" → "claim¹".
  for (let i = 0; i < nodes.length - 1; i++) {
    if (nodes[i + 1].type === 'citation' && nodes[i].type === 'text') nodes[i].text = nodes[i].text!.replace(/\s+$/, '');
  }
  return { nodes: nodes.filter((n) => n.type !== 'text' || n.text), used };
}
