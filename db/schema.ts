import { sql } from 'drizzle-orm';
import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** drizzle 0.45 has no bytea column; Yjs states and updates are stored as raw bytes. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => new Uint8Array(value),
});

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Source documents, kept verbatim: citations are offsets into `text`. */
export const sources = pgTable('sources', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  author: text('author'),
  publisher: text('publisher'),
  kind: text('kind').notNull(),
  dateText: text('date_text'),
  description: text('description').notNull().default(''),
  fileName: text('file_name').notNull(),
  text: text('text').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Projection of each entity's Y.Doc, refreshed whenever the doc is persisted. */
export const entities = pgTable(
  'entities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    /** The body as ProseMirror JSON, canonical through the shared editor schema. */
    body: jsonb('body').$type<BodyJson>().notNull().default({ type: 'doc', content: [] }),
    /** Sort key for the timeline: the earliest day an entity's main date can mean, ISO. */
    sortDate: text('sort_date'),
    searchText: text('search_text').notNull().default(''),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(search_text, '')), 'B')`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('entities_slug_idx').on(t.slug),
    index('entities_type_title_idx').on(t.type, t.title),
    index('entities_search_idx').using('gin', t.search),
  ],
);

/** Every name an entity is known by (title included), normalised for lookup. */
export const entityNames = pgTable(
  'entity_names',
  {
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    norm: text('norm').notNull(),
    isTitle: integer('is_title').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.entityId, t.norm] }),
    index('entity_names_norm_idx').on(t.norm),
    index('entity_names_trgm_idx').using('gin', sql`${t.norm} gin_trgm_ops`),
  ],
);

/** Statements and body links from one entity to another (both directions are read from here). */
export const entityLinks = pgTable(
  'entity_links',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fromId: uuid('from_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    toId: uuid('to_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    /** A statement predicate such as `member_of`, or `link` for a link in the body. */
    predicate: text('predicate').notNull(),
    qualifiers: jsonb('qualifiers').$type<{ date?: string; role?: string }>().notNull().default({}),
    citations: jsonb('citations').$type<CitationRef[]>().notNull().default([]),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('entity_links_from_idx').on(t.fromId), index('entity_links_to_idx').on(t.toId)],
);

export type BodyJson = { type: string; attrs?: Record<string, unknown>; content?: BodyJson[]; text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] };

export type CitationRef = { sourceId: string; start: number; end: number; quote: string };

/** Every citation an entity makes, so a source page can list who cites each passage. */
export const entityCitations = pgTable(
  'entity_citations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    quote: text('quote').notNull(),
  },
  (t) => [index('entity_citations_source_idx').on(t.sourceId, t.start), index('entity_citations_entity_idx').on(t.entityId)],
);

/** Compacted Yjs state of each entity's doc; later updates live in `entity_updates`. */
export const entityDocs = pgTable('entity_docs', {
  entityId: uuid('entity_id')
    .primaryKey()
    .references(() => entities.id, { onDelete: 'cascade' }),
  state: bytea('state').notNull(),
  stateVector: bytea('state_vector').notNull(),
  /** The highest `entity_updates.id` folded into `state`. */
  compactedThrough: integer('compacted_through').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only log of Yjs updates received since the last compaction. */
export const entityUpdates = pgTable(
  'entity_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('entity_updates_entity_idx').on(t.entityId, t.id)],
);

export type Entity = typeof entities.$inferSelect;
export type Source = typeof sources.$inferSelect;
