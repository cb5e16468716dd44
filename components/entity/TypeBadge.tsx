import { TYPE_INFO, isEntityType } from '@/components/model/entity-types';

const COLORS: Record<string, string> = {
  person: 'bg-sky-100 text-sky-900',
  party: 'bg-rose-100 text-rose-900',
  treaty: 'bg-amber-100 text-amber-900',
  event: 'bg-emerald-100 text-emerald-900',
  state: 'bg-violet-100 text-violet-900',
};

/** A small label naming an entity's type. */
export function TypeBadge({ type }: { type: string }) {
  const label = isEntityType(type) ? TYPE_INFO[type].label : type;
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${COLORS[type] ?? 'bg-gray-100 text-gray-800'}`}>{label}</span>;
}
