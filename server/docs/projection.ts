import { eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, entityCitations, entityLinks, entityNames, sources, type CitationRef } from '@/db/schema';
import { isPredicate } from '@/components/model/predicates';
import { dateSortKey } from '@/components/model/dates';
import { MAIN_DATE_FIELD, type EntityType } from '@/components/model/entity-types';
import { normalizeName } from '@/components/model/names';
import type { EntityContent, Statement } from './entity-doc';
import { bodyCitations, bodyEntityLinks, bodyToText } from './body-text';
import { isUuid } from '@/components/model/ids';

function fieldText(value: unknown): string {
  if (Array.isArray(value)) return value.map(fieldText).join(' ');
  return typeof value === 'string' ? value : '';
}

/**
 * Refreshes the Postgres projections of an entity from its doc content: the row (title,
 * summary, fields, body, search text), its names, its outgoing links and its citations.
 */
export async function projectEntity(db: Db, entityId: string, type: EntityType, content: EntityContent): Promise<void> {
  const { fields, body } = content;
  const raw = sanitizeStatements(content.statements);
  const verified = await verifiedCitations(db, [...bodyCitations(body), ...raw.flatMap((s) => s.citations)]);
  const isVerified = new Set(verified.map(citationKey));
  const statements = raw.map((s) => ({ ...s, citations: s.citations.filter((c) => isVerified.has(citationKey(c))) }));
  const title = (typeof fields.title === 'string' ? fields.title.trim().slice(0, 300) : '') || 'Untitled';
  const aliases = Array.isArray(fields.aliases) ? fields.aliases.map(String) : [];
  const text = bodyToText(body).trim();
  const summary = text.split('\n')[0] ?? '';
  const mainDate = fields[MAIN_DATE_FIELD[type]];
  const searchText = [aliases.join(' '), ...Object.entries(fields).filter(([k]) => k !== 'title' && k !== 'aliases').map(([, v]) => fieldText(v)), text].join('\n');

  await db
    .update(entities)
    .set({ title, summary, fields, body, searchText, sortDate: typeof mainDate === 'string' ? dateSortKey(mainDate) : null, updatedAt: new Date() })
    .where(eq(entities.id, entityId));

  const names = new Map<string, { name: string; isTitle: number }>();
  for (const [name, isTitle] of [[title, 1], ...aliases.map((a) => [a, 0] as const)] as const) {
    const norm = normalizeName(name);
    if (norm && !names.has(norm)) names.set(norm, { name, isTitle });
  }
  await db.delete(entityNames).where(eq(entityNames.entityId, entityId));
  await db.insert(entityNames).values([...names].map(([norm, n]) => ({ entityId, norm, name: n.name, isTitle: n.isTitle })));

  await db.delete(entityLinks).where(eq(entityLinks.fromId, entityId));
  // A doc may point at entities that no longer exist (or at garbage): project only real targets.
  const targets = [...new Set([...statements.map((s) => s.targetEntityId), ...bodyEntityLinks(body)])].filter((id) => isUuid(id));
  const existing = targets.length
    ? new Set((await db.select({ id: entities.id }).from(entities).where(inArray(entities.id, targets))).map((r) => r.id))
    : new Set<string>();
  const links = [
    ...statements.map((s, position) => ({ fromId: entityId, toId: s.targetEntityId, predicate: s.predicate, qualifiers: s.qualifiers, citations: s.citations, position })),
    ...bodyEntityLinks(body).map((toId, i) => ({ fromId: entityId, toId, predicate: 'link', position: statements.length + i })),
  ];
  const real = links.filter((l) => existing.has(l.toId) && l.toId !== entityId);
  if (real.length) await db.insert(entityLinks).values(real);

  await db.delete(entityCitations).where(eq(entityCitations.entityId, entityId));
  const unique = new Map(verified.map((c) => [citationKey(c), c]));
  if (unique.size) await db.insert(entityCitations).values([...unique.values()].map((c) => ({ entityId, ...c })));
}

const citationKey = (c: CitationRef) => `${c.sourceId}:${c.start}:${c.end}`;

/** Statements as the doc holds them may be anything a client wrote: keep the well-formed ones. */
function sanitizeStatements(raw: unknown): Statement[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s): Statement[] => {
    if (!s || typeof s !== 'object') return [];
    const { id, predicate, targetEntityId, qualifiers, citations } = s as Record<string, unknown>;
    if (!isPredicate(predicate) || typeof targetEntityId !== 'string') return [];
    const q = qualifiers && typeof qualifiers === 'object' ? (qualifiers as Record<string, unknown>) : {};
    return [
      {
        id: String(id ?? ''),
        predicate,
        targetEntityId,
        qualifiers: { ...(typeof q.date === 'string' ? { date: q.date } : {}), ...(typeof q.role === 'string' ? { role: q.role } : {}) },
        citations: Array.isArray(citations) ? (citations as CitationRef[]) : [],
      },
    ];
  });
}

/** Only citations whose quote is exactly the source text at their offsets are projected. */
async function verifiedCitations(db: Db, cites: CitationRef[]): Promise<CitationRef[]> {
  if (cites.length === 0) return [];
  const ids = [...new Set(cites.map((c) => String(c?.sourceId)))];
  const texts = new Map((await db.select({ id: sources.id, text: sources.text }).from(sources).where(inArray(sources.id, ids))).map((s) => [s.id, s.text]));
  return cites.filter((c) => c && Number.isInteger(c.start) && Number.isInteger(c.end) && c.end > c.start && texts.get(c.sourceId)?.slice(c.start, c.end) === c.quote);
}
