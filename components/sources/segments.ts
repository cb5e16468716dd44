import { boilerplateRanges } from '@/components/model/boilerplate';

export type Passage = { start: number; end: number };
export type Segment = { start: number; end: number; text: string; furniture: boolean; passages: number[]; anchors: number[] };

/**
 * Cuts a source text into runs that share the same highlighting: which cited passages cover
 * the run (indexes into `passages`), whether it is page furniture, and which passages begin
 * at it (for the `#c-start-end` anchors). Passages may overlap or nest.
 */
export function segmentSource(text: string, passages: Passage[]): Segment[] {
  const furniture: Passage[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    for (const [from, to] of boilerplateRanges(line)) furniture.push({ start: at + from, end: at + to });
    at += line.length + 1;
  }
  const cuts = new Set<number>([0, text.length]);
  for (const p of [...passages, ...furniture]) {
    cuts.add(Math.max(0, Math.min(p.start, text.length)));
    cuts.add(Math.max(0, Math.min(p.end, text.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [start, end] = [points[i], points[i + 1]];
    if (start === end) continue;
    segments.push({
      start,
      end,
      text: text.slice(start, end),
      furniture: furniture.some((f) => f.start <= start && end <= f.end),
      passages: passages.flatMap((p, j) => (p.start <= start && end <= p.end ? [j] : [])),
      anchors: passages.flatMap((p, j) => (p.start === start ? [j] : [])),
    });
  }
  return segments;
}
