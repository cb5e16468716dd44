import * as Y from 'yjs';
import * as random from 'lib0/random';
import { bodyThroughSchema } from './body-schema';
import type { BodyJson, CitationRef } from '@/db/schema';
import { latestStatements, wellFormedStatements } from '@/components/model/statements';
import { readFields, toFieldText } from '@/components/model/field-text';

/** A typed relation from this entity to another (Wikidata-style). */
export type Statement = {
  id: string;
  predicate: string;
  targetEntityId: string;
  qualifiers: { date?: string; role?: string };
  citations: CitationRef[];
};

/** Everything editable about an entity: what one Y.Doc holds. */
export type EntityContent = {
  fields: Record<string, unknown>;
  statements: Statement[];
  body: BodyJson;
};

export const BODY = 'body';
export const FIELDS = 'fields';
export const STATEMENTS = 'statements';

/**
 * A new, empty doc on the server. Its guid (never stored or sent) is the entity id, or a fixed
 * name: Yjs would otherwise draw a random UUID, ~30 `getRandomValues` calls, ~0.3 ms here.
 */
export function newEntityDoc(entityId = 'entity'): Y.Doc {
  return new Y.Doc({ guid: entityId, gc: true });
}

/** Reads a doc back as plain content; the body is canonical ProseMirror JSON through the schema. */
export function readEntityDoc(doc: Y.Doc): EntityContent {
  return {
    fields: readFields(doc.getMap(FIELDS)),
    // As people see them (statements.ts): what is not a relation left out, one version of each.
    statements: latestStatements(wellFormedStatements(doc.getArray(STATEMENTS).toJSON())),
    // As the editor shows it: any client can write anything into the fragment.
    body: bodyThroughSchema(bodyJsonOf(doc.getXmlFragment(BODY))),
  };
}

/** A mark's name as y-tiptap keeps it on text: marks that may overlap carry a hash after it. */
const HASHED_MARK_NAME = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

/**
 * The body as ProseMirror JSON, as it is in the doc (not yet through the schema): what
 * y-tiptap's `yXmlFragmentToProsemirrorJSON` reads (a unit test holds the two equal), without
 * loading y-tiptap, which brings ProseMirror's view and state, into the collaboration server.
 */
export function bodyJsonOf(fragment: Y.XmlFragment): BodyJson {
  const textOf = (text: Y.XmlText): BodyJson[] =>
    (text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]).map(({ insert, attributes }) => ({
      type: 'text',
      text: insert as string,
      ...(attributes && { marks: Object.entries(attributes).map(([name, attrs]) => ({ type: HASHED_MARK_NAME.exec(name)?.[1] ?? name, attrs })) }),
    })) as BodyJson[];
  const nodeOf = (item: Y.XmlElement | Y.XmlText | Y.XmlHook): BodyJson | BodyJson[] => {
    if (item instanceof Y.XmlText) return textOf(item);
    if (!(item instanceof Y.XmlElement)) return []; // a hook: no editor makes one (y-tiptap stops at it)
    const attrs = item.getAttributes();
    const children = item.toArray();
    return {
      type: item.nodeName,
      ...(Object.keys(attrs).length > 0 && { attrs }),
      ...(children.length > 0 && { content: children.flatMap(nodeOf) }),
    } as BodyJson;
  };
  // The top level as y-tiptap has it: text there (which the schema drops) is not flattened.
  return { type: 'doc', content: fragment.toArray().map(nodeOf) } as BodyJson;
}

/**
 * Makes a server-side edit of `doc` under a client id of its own, so that what it writes can be
 * attributed to whoever it is made for (the doc's own id may already be recorded as someone
 * else's), and returns the edit's updates.
 */
export function editAsNewClient(doc: Y.Doc, edit: () => void): Uint8Array[] {
  doc.clientID = random.uint32();
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on('update', record);
  try {
    doc.transact(edit, 'server');
  } finally {
    doc.off('update', record);
  }
  return updates;
}

/**
 * Turns the plain field values of a doc made before infobox fields were texts (a string, a list)
 * into texts, one edit per client that set them, each under a client id of its own so that it
 * can be attributed to that client's user; returns each edit's updates with that client.
 */
export function plainFieldsToTexts(doc: Y.Doc): { from: number; updates: Uint8Array[] }[] {
  const fields = doc.getMap(FIELDS);
  const byClient = new Map<number, string[]>();
  for (const [key, item] of fields._map) {
    const value = fields.get(key);
    if (item.deleted || !(typeof value === 'string' || Array.isArray(value))) continue;
    byClient.set(item.id.client, [...(byClient.get(item.id.client) ?? []), key]);
  }
  return [...byClient].map(([from, keys]) => ({
    from,
    updates: editAsNewClient(doc, () => {
      for (const key of keys) fields.set(key, toFieldText(fields.get(key)));
    }),
  }));
}

/** Loads a stored Yjs state (snapshot plus later updates) into a new doc. */
export function docFromUpdates(updates: Uint8Array[], entityId?: string): Y.Doc {
  const doc = newEntityDoc(entityId);
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}
