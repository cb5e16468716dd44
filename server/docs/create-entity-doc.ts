import type * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { plainBodySchema } from '@/components/editor/schema/body-spec';
import { toFieldText } from '@/components/model/field-text';
import { BODY, FIELDS, STATEMENTS, newEntityDoc, type EntityContent } from './entity-doc';

/**
 * Builds a new Y.Doc from content. Only for content that has no doc yet (the seed, a new
 * entity): building a second doc from the same JSON and merging would duplicate everything.
 */
export function createEntityDoc(content: EntityContent): Y.Doc {
  const doc = newEntityDoc();
  doc.transact(() => {
    const fields = doc.getMap(FIELDS);
    for (const [key, value] of Object.entries(content.fields)) {
      if (value !== undefined) fields.set(key, toFieldText(value));
    }
    doc.getArray(STATEMENTS).push(content.statements);
    prosemirrorJSONToYXmlFragment(plainBodySchema(), content.body, doc.getXmlFragment(BODY));
  });
  return doc;
}
