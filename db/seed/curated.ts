import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ENTITY_TYPES } from '@/components/model/entity-types';
import { FIELD_SCHEMAS } from '@/components/model/entity-fields';
import { isFuzzyDate } from '@/components/model/dates';
import { PREDICATES } from '@/components/model/predicates';
import type { CitationRef } from '@/db/schema';
import { SOURCE_FILES, type SourceMeta } from './sources';

export const SEED_DIR = resolve(process.cwd(), 'db', 'seed');

const citation = z.object({ source: z.enum(['000', '001', '002']), quote: z.string().min(8), occurrence: z.number().int().min(1).optional() }).strict();
const statement = z
  .object({
    predicate: z.enum(Object.keys(PREDICATES) as [keyof typeof PREDICATES]),
    target: z.string().min(1),
    date: z.string().refine(isFuzzyDate, 'not a date in the date grammar').optional(),
    role: z.string().min(1).optional(),
    citations: z.array(citation).optional(),
  })
  .strict();
const curatedEntity = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    type: z.enum(ENTITY_TYPES),
    title: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    summary: z.string().min(1),
    body: z.array(z.string().min(1)).default([]),
    note: z.string().min(1).optional(),
    fields: z.record(z.string(), z.unknown()).default({}),
    citations: z.array(citation).min(1),
    statements: z.array(statement).default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    const parsed = FIELD_SCHEMAS[e.type].safeParse({ ...e.fields, aliases: e.aliases });
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: `fields: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
  });

export type CuratedEntity = z.infer<typeof curatedEntity>;
export type CuratedCitation = z.infer<typeof citation>;
export type LoadedSource = SourceMeta & { text: string; sha256: string };

/** The three source texts, byte-for-byte, with their sha256. */
export function loadSources(): LoadedSource[] {
  return SOURCE_FILES.map((meta) => {
    const bytes = readFileSync(join(SEED_DIR, 'sources', meta.fileName));
    return { ...meta, text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

/** Every curated entity from `db/seed/data/*.json`, validated; throws naming the first bad entry. */
export function loadCuratedEntities(): CuratedEntity[] {
  const dir = join(SEED_DIR, 'data');
  const out: CuratedEntity[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const list = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[];
    for (const raw of list) {
      const parsed = curatedEntity.safeParse(raw);
      if (!parsed.success) {
        const slug = (raw as { slug?: string })?.slug ?? '?';
        throw new Error(`${file}: ${slug}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      out.push(parsed.data);
    }
  }
  return out;
}

/** Resolves a curated quote to offsets in its source: `quote === text.slice(start, end)`. */
export function resolveCitation(c: CuratedCitation, sources: LoadedSource[]): CitationRef {
  const source = sources.find((s) => s.key === c.source);
  if (!source) throw new Error(`unknown source ${c.source}`);
  let start = -1;
  for (let i = 0; i < (c.occurrence ?? 1); i++) {
    start = source.text.indexOf(c.quote, start + 1);
    if (start < 0) throw new Error(`quote not found in source ${c.source}: “${c.quote.slice(0, 60)}…”`);
  }
  return { sourceId: source.id, start, end: start + c.quote.length, quote: c.quote };
}
