import { formatFuzzyDate } from './dates';

export const ENTITY_TYPES = ['person', 'party', 'treaty', 'event', 'state'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** How each type is named in the UI and where its index lives. */
export const TYPE_INFO: Record<EntityType, { label: string; plural: string; path: string }> = {
  person: { label: 'Person', plural: 'People', path: '/people' },
  party: { label: 'Party or organisation', plural: 'Parties & organisations', path: '/parties' },
  treaty: { label: 'Treaty or agreement', plural: 'Treaties & agreements', path: '/treaties' },
  event: { label: 'Event', plural: 'Events', path: '/events' },
  state: { label: 'State', plural: 'States', path: '/states' },
};

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);
}

/** The longest text an infobox field (or one item of a list field) holds. */
export const MAX_FIELD_CHARS = 500;
/** The most items a list field (aliases, roles, signatories) holds. */
export const MAX_LIST_ITEMS = 50;

/** Labels for the infobox, in display order; `date` fields are shown with their precision. */
export const FIELD_LABELS: Record<EntityType, [field: string, label: string, kind: 'date' | 'text' | 'list'][]> = {
  person: [['born', 'Born', 'date'], ['died', 'Died', 'date'], ['nationality', 'Nationality', 'text'], ['roles', 'Roles', 'list']],
  party: [['kind', 'Kind', 'text'], ['founded', 'Founded', 'date'], ['dissolved', 'Dissolved', 'date'], ['country', 'Country', 'text'], ['ideology', 'Ideology', 'text']],
  treaty: [['kind', 'Kind', 'text'], ['signed', 'Signed', 'date'], ['place', 'Place', 'text'], ['signatories', 'Signatories', 'list'], ['status', 'Status', 'text']],
  event: [['start', 'Start', 'date'], ['end', 'End', 'date'], ['place', 'Place', 'text'], ['outcome', 'Outcome', 'text']],
  state: [['founded', 'Founded', 'date'], ['dissolved', 'Dissolved', 'date'], ['capital', 'Capital', 'text']],
};

/**
 * Infobox fields whose values name a page: a value that is the name of exactly one page the
 * reader may see is shown as a link to it. In a field that names a place only titles count:
 * states carry their capitals' names as aliases (the sources say "Moscow" for the Soviet
 * government), and the city a treaty was signed in is not its state.
 */
const NAMING_FIELDS: Record<string, NameKind> = { nationality: 'name', country: 'name', signatories: 'name', place: 'place', capital: 'place' };
/** `name`: a page's title or one of its aliases; `place`: a page's title. */
export type NameKind = 'name' | 'place';

/** What the values of an infobox field name, if they name pages (see NAMING_FIELDS). */
export function namingKind(field: string): NameKind | null {
  return NAMING_FIELDS[field] ?? null;
}

/** The names in an entity's infobox fields that name pages, each once, by what they name. */
export function namesInFields(type: string, fields: Record<string, unknown>): Record<NameKind, string[]> {
  const found: Record<NameKind, Set<string>> = { name: new Set(), place: new Set() };
  for (const [field] of isEntityType(type) ? FIELD_LABELS[type] : []) {
    const kind = namingKind(field);
    if (!kind) continue;
    for (const value of [fields[field]].flat()) if (typeof value === 'string' && value.trim() !== '') found[kind].add(value);
  }
  return { name: [...found.name], place: [...found.place] };
}

const OTHER_FIELD_LABELS: Record<string, string> = { title: 'Title', summary: 'Summary', aliases: 'Also known as' };

/** The fields the editor's infobox lists, in order: title, other names, then the type's own (none for an unknown type). */
export function editorFields(type: EntityType | null): [field: string, label: string, kind: 'date' | 'text' | 'list'][] {
  return [['title', 'Title', 'text'], ['aliases', 'Also known as', 'list'], ...(type ? FIELD_LABELS[type] : [])];
}

/**
 * Orders field keys as the editor's infobox lists them: title, other names, then the type's
 * fields in their order; any other key last, by name.
 */
export function infoboxOrder(type: string): (a: string, b: string) => number {
  const order = editorFields(isEntityType(type) ? type : null).map(([field]) => field);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}

/** A field's name as the infobox shows it ("signed" → "Signed"); unknown keys as they are. */
export function fieldLabel(type: string, key: string): string {
  const typed = isEntityType(type) ? FIELD_LABELS[type].find(([field]) => field === key) : undefined;
  return typed?.[1] ?? OTHER_FIELD_LABELS[key] ?? key;
}

/** A field's value in one line, as the infobox shows it (dates read as dates, lists joined). */
export function fieldText(type: string, key: string, value: unknown): string {
  const kind = isEntityType(type) ? FIELD_LABELS[type].find(([field]) => field === key)?.[2] : undefined;
  if (kind === 'date' && typeof value === 'string') return formatFuzzyDate(value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value ?? '');
}

/** The field that places an entity in time (timeline order, index sort). */
export const MAIN_DATE_FIELD: Record<EntityType, string> = {
  person: 'born',
  party: 'founded',
  treaty: 'signed',
  event: 'start',
  state: 'founded',
};
