import { Fragment, Mark, type Node, type Schema } from '@tiptap/pm/model';
import { plainBodySchema } from '@/components/editor/schema/body-spec';
import { isAllowedHref } from '@/components/editor/schema/rules';
import type { BodyJson } from '@/db/schema';

type MarkJson = NonNullable<BodyJson['marks']>[number];

/**
 * The body as the editor's schema can hold it, from whatever a doc holds (any client can write
 * anything into it): what the editor shows, and so what pages, search and revisions keep.
 * Nodes and marks the schema does not have are left out with what they hold (a `script` and its
 * text), as are empty text, links to addresses other than http(s), mailto and relative ones,
 * and nodes where their parent takes none of their kind (text directly in a list); a node
 * missing required content gets it filled in (a list item with no paragraph). Everything else,
 * attributes included, is kept as the schema reads it.
 */
export function bodyThroughSchema(body: BodyJson): BodyJson {
  const schema = plainBodySchema();
  const doc = body?.type === 'doc' ? build(schema, body) : null;
  return (doc ?? schema.topNodeType.createAndFill()!).toJSON() as BodyJson;
}

function build(schema: Schema, json: BodyJson): Node | null {
  if (!json || typeof json !== 'object') return null;
  const marks = buildMarks(schema, json.marks);
  if (json.type === 'text') return typeof json.text === 'string' && json.text !== '' ? schema.text(json.text, marks) : null;
  const type = Object.hasOwn(schema.nodes, json.type) ? schema.nodes[json.type] : null;
  if (!type || type.isText) return null;
  const children: Node[] = [];
  let match = type.contentMatch;
  for (const childJson of Array.isArray(json.content) ? json.content : []) {
    if (childJson?.type === schema.topNodeType.name) continue; // a doc only at the top
    const child = build(schema, childJson);
    const next = child && match.matchType(child.type);
    if (!child || !next) continue;
    children.push(child.mark(type.allowedMarks(child.marks)));
    match = next;
  }
  try {
    return type.createAndFill(json.attrs && typeof json.attrs === 'object' ? json.attrs : null, Fragment.from(children), marks);
  } catch {
    return null; // attributes the node's type refuses
  }
}

/** A mark set (sorted, one of each kind that excludes others) of the known marks among `marks`. */
function buildMarks(schema: Schema, marks: unknown): readonly Mark[] {
  if (!Array.isArray(marks)) return Mark.none;
  return (marks as MarkJson[]).reduce<readonly Mark[]>((set, m) => {
    if (!m || typeof m !== 'object' || !Object.hasOwn(schema.marks, m.type)) return set;
    if (m.type === 'link' && !isAllowedHref(String(m.attrs?.href ?? ''))) return set;
    try {
      return schema.marks[m.type].create(m.attrs && typeof m.attrs === 'object' ? m.attrs : null).addToSet(set);
    } catch {
      return set;
    }
  }, Mark.none);
}
