import Link from 'next/link';
import { datePrecisionLabel, formatFuzzyDate, parseFuzzyDate } from '@/components/model/dates';

type Event = { id: string; slug: string; title: string; summary: string; sortDate: string | null; fields: Record<string, unknown> };

function yearSpan(e: Event): [number, number] {
  const start = parseFuzzyDate(String(e.fields.start ?? ''));
  const end = parseFuzzyDate(String(e.fields.end ?? ''));
  const from = start?.from.year ?? Number(e.sortDate?.slice(0, 4));
  const to = end?.to?.year ?? end?.from.year ?? start?.to?.year ?? (start?.from.precision === 'decade' ? from + 9 : from);
  return [from, Math.max(from, to)];
}

function dateLabel(e: Event): { text: string; precision: string | null } {
  const start = typeof e.fields.start === 'string' ? e.fields.start : null;
  const end = typeof e.fields.end === 'string' ? e.fields.end : null;
  if (!start) return { text: e.sortDate ?? '', precision: null };
  const text = end && end !== start ? `${formatFuzzyDate(start)} – ${formatFuzzyDate(end)}` : formatFuzzyDate(start);
  return { text, precision: datePrecisionLabel(start) };
}

/** An overview strip (one mark per event, bars for spans) above the events listed along a vertical axis by decade. */
export function Timeline({ events }: { events: Event[] }) {
  if (events.length === 0) return <p>No events match.</p>;
  const spans = events.map(yearSpan);
  const min = Math.floor(Math.min(...spans.map((s) => s[0])) / 10) * 10;
  const max = Math.ceil((Math.max(...spans.map((s) => s[1])) + 1) / 10) * 10;
  const width = 1000;
  const x = (year: number) => ((year - min) / (max - min)) * width;
  const rows = new Map<number, number>(); // stacking of marks that would overlap
  const decades: number[] = [];
  for (let d = min; d <= max; d += 10) decades.push(d);
  const byDecade = new Map<number, Event[]>();
  for (const e of events) {
    const decade = Math.floor(Number(e.sortDate?.slice(0, 4)) / 10) * 10;
    byDecade.set(decade, [...(byDecade.get(decade) ?? []), e]);
  }
  return (
    <div className="space-y-6">
      <figure className="bg-white border border-line rounded p-3 overflow-x-auto">
        <svg viewBox={`-20 0 ${width + 40} 150`} className="w-full min-w-[600px] h-auto" role="group" aria-label={`Overview of ${events.length} events from ${min} to ${max}`}>
          <line x1={0} x2={width} y1={120} y2={120} stroke="#57606a" />
          {decades.map((d) => (
            <g key={d}>
              <line x1={x(d)} x2={x(d)} y1={115} y2={125} stroke="#57606a" />
              <text x={x(d)} y={142} fontSize={12} textAnchor="middle" fill="#57606a">{d}</text>
            </g>
          ))}
          {events.map((e, i) => {
            const [from, to] = spans[i];
            const slot = Math.round(x(from) / 6);
            const row = rows.get(slot) ?? 0;
            rows.set(slot, row + 1);
            const y = 108 - (row % 12) * 8;
            return (
              <a key={e.id} href={`#ev-${e.slug}`}>
                <title>{`${e.title} (${dateLabel(e).text})`}</title>
                {to > from ? <rect x={x(from)} y={y - 3} width={Math.max(4, x(to) - x(from))} height={6} rx={3} fill="#0b5cad" opacity={0.7} /> : <circle cx={x(from)} cy={y} r={4} fill="#0b5cad" />}
              </a>
            );
          })}
        </svg>
        <figcaption className="text-xs text-muted mt-1">Each mark is an event (bars span several years); select one to jump to it.</figcaption>
      </figure>
      <ol className="relative border-l-2 border-accent/40 ml-3 sm:ml-24">
        {[...byDecade].map(([decade, list]) => (
          <li key={decade} className="mb-6">
            <h2 className="font-serif text-xl -ml-3 sm:-ml-24 mb-2 bg-wash inline-block pr-2">{decade}s</h2>
            <ol className="space-y-3">
              {list.map((e) => {
                const date = dateLabel(e);
                return (
                  <li key={e.id} id={`ev-${e.slug}`} className="relative pl-5 target:bg-mark rounded wrap-anywhere">
                    <span className="absolute -left-[7px] top-2 h-3 w-3 rounded-full bg-accent border-2 border-white" aria-hidden="true" />
                    <div className="text-sm text-muted">
                      <time dateTime={e.sortDate ?? undefined}>{date.text}</time>
                      {date.precision && <span className="ml-2 rounded bg-gray-100 px-1.5 text-xs">{date.precision}</span>}
                      {typeof e.fields.place === 'string' && <span className="ml-2">· {e.fields.place}</span>}
                    </div>
                    <Link href={`/wiki/${e.slug}`} className="font-medium">{e.title}</Link>
                    <p className="text-sm text-muted">{e.summary.length > 200 ? `${e.summary.slice(0, 200)}…` : e.summary}</p>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </div>
  );
}
