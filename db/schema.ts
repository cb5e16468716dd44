import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
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
  type AnyPgColumn,
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
    /** Null: the commons (any signed-in user edits). Otherwise the owning group. */
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'restrict' }),
    /** `public`: anyone reads. `group`: only the owning group's members (and admins). */
    visibility: text('visibility').$type<'public' | 'group'>().notNull().default('public'),
    /** Protected pages are edited by site admins only. */
    protected: boolean('protected').notNull().default(false),
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
    index('entities_group_idx').on(t.groupId),
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
  compactedThrough: bigint('compacted_through', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Append-only log of Yjs updates received since the last compaction: a row per edit, written
 * while the editor waits, so each row costs PostgreSQL as little as it can. Every read and delete
 * of the log is by entity (a doc's rows in id order), so its key is (entity, id), one index. No
 * foreign key: its check (a lookup and a row lock on the entity) was a quarter of an insert's
 * time; the rows of a deleted entity go with it by a trigger instead (migration 0007).
 */
export const entityUpdates = pgTable(
  'entity_updates',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    entityId: uuid('entity_id').notNull(),
    update: bytea('update').notNull(),
    /** Who sent it (null for server-side changes such as a restore by the system). */
    userId: uuid('user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.id] })],
);

/** Accounts. `usernameNorm` (lower case) is unique so "Alice" and "alice" are one name. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    usernameNorm: text('username_norm').notNull(),
    passwordHash: text('password_hash').notNull(),
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_norm_idx').on(t.usernameNorm)],
);

/** Browser sessions; the cookie holds a random secret, the table only its sha256. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sessions_token_hash_idx').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Personal access tokens for scripts and the collaboration socket; stored hashed. */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    name: text('name').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('access_tokens_hash_idx').on(t.tokenHash), index('access_tokens_user_idx').on(t.userId)],
);

export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    nameNorm: text('name_norm').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('groups_name_norm_idx').on(t.nameNorm)],
);

export type GroupRole = 'owner' | 'editor' | 'viewer';

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<GroupRole>().notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

/** Which user each Yjs clientID belongs to, per entity doc: every inserted character is attributable. */
export const entityClients = pgTable(
  'entity_clients',
  {
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.clientId] })],
);

export type RevisionKind = 'seed' | 'manual' | 'auto' | 'restore';
export type RevisionAuthor = { id: string; username: string };

/**
 * Immutable revisions of an entity's whole doc (fields, statements, body) as canonical JSON.
 * Storage is by change: a `snapshot` (the canonical JSON) every few revisions, otherwise a
 * `patch` against the parent's canonical JSON. Triggers refuse updates of the content and
 * the deletion of cited or restored-from revisions.
 */
export const revisions = pgTable(
  'revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'restrict' }),
    number: integer('number').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => revisions.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<RevisionKind>().notNull(),
    summary: text('summary').notNull().default(''),
    /** The canonical JSON, stored on keyframe revisions only. */
    snapshot: text('snapshot'),
    /** A line patch against the parent's canonical JSON, on the others. */
    patch: jsonb('patch').$type<LinePatch>(),
    sha256: text('sha256').notNull(),
    authors: jsonb('authors').$type<RevisionAuthor[]>().notNull().default([]),
    size: integer('size').notNull(),
    sizeDelta: integer('size_delta').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    restoredFrom: uuid('restored_from').references((): AnyPgColumn => revisions.id, { onDelete: 'restrict' }),
    citedAt: timestamp('cited_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('revisions_entity_number_idx').on(t.entityId, t.number), index('revisions_created_idx').on(t.createdAt)],
);

/** Replace lines [start, start + deleteCount) of the parent's pretty canonical JSON with `insert`. */
export type LinePatch = { start: number; deleteCount: number; insert: string[] };

/** Users whose updates went into an entity's doc since its last revision (the next revision's authors). */
export const pendingAuthors = pgTable(
  'pending_authors',
  {
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.userId] })],
);

/**
 * One row counting the changes that can alter a cached page for anonymous readers (an entity's
 * name, address or access; a revision added; a source or group changed). Triggers bump it when
 * such a transaction commits (migration 0004); `server/http/page-cache.ts` reads it.
 */
export const pageEpoch = pgTable('page_epoch', {
  id: integer('id').primaryKey().default(1),
  n: bigint('n', { mode: 'number' }).notNull().default(0),
});

/**
 * Fixed-window counters of rate-limited events (`login:<address>`, `signup:<address>`), in the
 * database so every instance on it counts against the same limit (server/auth/rate-limit.ts).
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

export type Revision = typeof revisions.$inferSelect;
export type Entity = typeof entities.$inferSelect;
export type User = typeof users.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type Source = typeof sources.$inferSelect;
