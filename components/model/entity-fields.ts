import { z } from 'zod';
import { isFuzzyDate } from './dates';
import { MAX_FIELD_CHARS, MAX_LIST_ITEMS, type EntityType } from './entity-types';

// Apart from entity-types.ts, so that what only needs the types (the collaboration server) does not load zod.

const date = z.string().refine(isFuzzyDate, 'a date like 1923, 1923-05, 1923-05-14, 1920s, c. 1925, after 1958 or 1934/1935');
const text = z.string().trim().min(1).max(MAX_FIELD_CHARS);
const list = z.array(text).max(MAX_LIST_ITEMS);

const common = { aliases: list.optional() };

/** The infobox fields of each entity type. Every field is optional. */
export const FIELD_SCHEMAS = {
  person: z.object({ ...common, born: date.optional(), died: date.optional(), nationality: text.optional(), roles: list.optional() }).strict(),
  party: z
    .object({ ...common, founded: date.optional(), dissolved: date.optional(), country: text.optional(), ideology: text.optional(), kind: text.optional() })
    .strict(),
  treaty: z
    .object({ ...common, signed: date.optional(), place: text.optional(), signatories: list.optional(), status: text.optional(), kind: text.optional() })
    .strict(),
  event: z.object({ ...common, start: date.optional(), end: date.optional(), place: text.optional(), outcome: text.optional() }).strict(),
  state: z.object({ ...common, founded: date.optional(), dissolved: date.optional(), capital: text.optional() }).strict(),
} satisfies Record<EntityType, z.ZodType>;
