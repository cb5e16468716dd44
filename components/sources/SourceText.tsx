import { segmentSource } from './segments';

type PassageView = { start: number; end: number; entities: { title: string }[] };

/**
 * A source's verbatim text: cited passages highlighted (each with an anchor `#c-start-end`),
 * page furniture de-emphasised, the passage named by `target` outlined.
 */
export function SourceText({ text, passages, target }: { text: string; passages: PassageView[]; target?: { start: number; end: number } }) {
  const segments = segmentSource(text, passages);
  return (
    <div className="source-text">
      {segments.map((s) => {
        const anchors = s.anchors.map((j) => <span key={`a${j}`} id={`c-${passages[j].start}-${passages[j].end}`} />);
        if (s.furniture) {
          return (
            <span key={s.start} className="furniture" aria-label="page furniture from the original web page">
              {anchors}
              {s.text}
            </span>
          );
        }
        if (s.passages.length === 0) return <span key={s.start}>{anchors}{s.text}</span>;
        const isTarget = target && s.passages.some((j) => passages[j].start === target.start && passages[j].end === target.end);
        const citedBy = [...new Set(s.passages.flatMap((j) => passages[j].entities.map((e) => e.title)))];
        return (
          <mark key={s.start} className={isTarget ? 'is-target' : undefined} title={`Cited by ${citedBy.join(', ')}`}>
            {anchors}
            {s.text}
          </mark>
        );
      })}
    </div>
  );
}
