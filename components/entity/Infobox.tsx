import Link from 'next/link';
import { FIELD_LABELS, TYPE_INFO, isEntityType, namingKind, type NameKind } from '@/components/model/entity-types';
import { datePrecisionLabel, formatFuzzyDate } from '@/components/model/dates';
import { normalizeName } from '@/components/model/names';

/** Pages named in the infobox, by normalized name. */
type Links = Record<string, { slug: string; title: string }>;
/** The pages an infobox's names lead to, by what its fields name (see `infoboxLinks`). */
export type InfoboxLinks = Record<NameKind, Links>;

/** A name as it was typed, linked to the page it names when there is one. */
function Name({ name, links }: { name: string; links: Links }) {
  const page = links[normalizeName(name)];
  return page ? <Link href={`/wiki/${page.slug}`}>{name}</Link> : <>{name}</>;
}

function FieldValue({ value, kind, links }: { value: unknown; kind: 'date' | 'text' | 'list'; links: Links }) {
  if (kind === 'list' && Array.isArray(value)) {
    return (
      <ul className="list-none">
        {value.map((v, i) => (
          <li key={i}>
            <Name name={String(v)} links={links} />
          </li>
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
  return (
    <span>
      <Name name={String(value)} links={links} />
    </span>
  );
}

/** The box of typed facts beside an entity's text; `links` are the pages its names lead to. */
export function Infobox({ type, title, fields, links }: { type: string; title: string; fields: Record<string, unknown>; links?: InfoboxLinks }) {
  const rows = isEntityType(type) ? FIELD_LABELS[type].filter(([field]) => fields[field] !== undefined && fields[field] !== '') : [];
  const aliases = Array.isArray(fields.aliases) ? fields.aliases.map(String) : [];
  const linksOf = (field: string) => {
    const naming = namingKind(field);
    return (naming && links?.[naming]) || {};
  };
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
              <FieldValue value={fields[field]} kind={kind} links={linksOf(field)} />
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
