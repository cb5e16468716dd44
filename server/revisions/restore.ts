import type * as Y from 'yjs';
import { updateYFragment } from '@tiptap/y-tiptap';
import { plainBodySchema } from '@/components/editor/schema/body-spec';
import { fieldSource, fieldValue, writeField } from '@/components/model/field-text';
import { BODY, FIELDS, STATEMENTS, type EntityContent } from '@/server/docs/entity-doc';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Edits a live doc so that it holds `content`: changed fields are set, removed ones deleted,
 * the relations replaced if they differ, and the body transformed with a minimal diff (so
 * connected editors keep their place). Call inside `doc.transact`.
 */
export function replaceDocContent(doc: Y.Doc, content: EntityContent): void {
  const fields = doc.getMap(FIELDS);
  for (const key of [...fields.keys()]) if (!(key in content.fields)) fields.delete(key);
  for (const [key, value] of Object.entries(content.fields)) {
    const current = fields.get(key);
    if (same(fieldValue(key, current), value)) continue;
    // A field's text is edited in place, so whoever is typing in it keeps their caret.
    if (typeof value === 'string' || Array.isArray(value)) writeField(fields, key, fieldSource(value));
    else fields.set(key, value);
  }
  const statements = doc.getArray(STATEMENTS);
  if (!same(statements.toJSON(), content.statements)) {
    statements.delete(0, statements.length);
    statements.push(content.statements);
  }
  updateYFragment(doc, doc.getXmlFragment(BODY), plainBodySchema().nodeFromJSON(content.body), { mapping: new Map(), isOMark: new Map() });
}
