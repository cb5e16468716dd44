import { FIELD_LABELS, TYPE_INFO, isEntityType } from '@/components/model/entity-types';
import { datePrecisionLabel, formatFuzzyDate } from '@/components/model/dates';

function FieldValue({ value, kind }: { value: unknown; kind: 'date' | 'text' | 'list' }) {
  if (kind === 'list' && Array.isArray(value)) {
    return (
      <ul className="list-none">
        {value.map((v, i) => (
          <li key={i}>{String(v)}</li>
        ))}
      </ul>
    );
  }
  if (kind === 'date' && typeof value === 'string') {
    const precision = datePrecisionLabel(value);
    return (
      <span>
        <time dateTime={value}>{formatFuzzyDate(value)}</time>
        {precision && <span className="ml-1 text-xs text-muted">({precision})</span>}
      </span>
    );
  }
  return <span>{String(value)}</span>;
}

/** The box of typed facts beside an entity's text. */
export function Infobox({ type, title, fields }: { type: string; title: string; fields: Record<string, unknown> }) {
  const rows = isEntityType(type) ? FIELD_LABELS[type].filter(([field]) => fields[field] !== undefined && fields[field] !== '') : [];
  const aliases = Array.isArray(fields.aliases) ? fields.aliases.map(String) : [];
  return (
    <aside aria-label="Infobox" className="bg-wash border border-line rounded text-sm w-full lg:w-80 shrink-0 self-start wrap-anywhere">
      <h2 className="bg-sky-50 border-b border-line text-center font-semibold px-3 py-2">{title}</h2>
      <dl className="divide-y divide-line">
        <div className="grid grid-cols-[7rem_1fr] gap-2 px-3 py-1.5">
          <dt className="font-medium text-muted">Type</dt>
          <dd>{isEntityType(type) ? TYPE_INFO[type].label : type}</dd>
        </div>
        {aliases.length > 0 && (
          <div className="grid grid-cols-[7rem_1fr] gap-2 px-3 py-1.5">
            <dt className="font-medium text-muted">Also known as</dt>
            <dd>{aliases.join(', ')}</dd>
          </div>
        )}
        {rows.map(([field, label, kind]) => (
          <div key={field} className="grid grid-cols-[7rem_1fr] gap-2 px-3 py-1.5">
            <dt className="font-medium text-muted">{label}</dt>
            <dd>
              <FieldValue value={fields[field]} kind={kind} />
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
