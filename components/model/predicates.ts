/** Typed relations between entities (Wikidata-style statements), each shown on both pages. */
export const PREDICATES = {
  member_of: { label: 'member of', inverse: 'members' },
  leader_of: { label: 'leader of', inverse: 'leaders' },
  founder_of: { label: 'founder of', inverse: 'founded by' },
  signatory: { label: 'signatory of', inverse: 'signatories' },
  party_to: { label: 'party to', inverse: 'parties' },
  participant: { label: 'participant in', inverse: 'participants' },
  located_in: { label: 'located in', inverse: 'location of' },
  part_of: { label: 'part of', inverse: 'includes' },
  preceded_by: { label: 'preceded by', inverse: 'followed by' },
  succeeded: { label: 'successor of', inverse: 'succeeded by' },
  caused: { label: 'led to', inverse: 'caused by' },
  opposed: { label: 'opposed', inverse: 'opposed by' },
  allied_with: { label: 'allied with', inverse: 'allied with' },
  advised: { label: 'advised or supported', inverse: 'advised or supported by' },
  negotiated: { label: 'negotiated', inverse: 'negotiated by' },
} as const;

export type Predicate = keyof typeof PREDICATES;

export function isPredicate(value: unknown): value is Predicate {
  return typeof value === 'string' && Object.hasOwn(PREDICATES, value);
}

/** The heading a relation gets on a page: its label seen from the subject, or its inverse from the target. */
export function relationLabel(predicate: string, direction: 'out' | 'in'): string {
  if (predicate === 'link') return direction === 'out' ? 'links to' : 'linked from';
  if (!isPredicate(predicate)) return predicate;
  return direction === 'out' ? PREDICATES[predicate].label : PREDICATES[predicate].inverse;
}
