import { Schema } from '@tiptap/pm/model';
import bodySpec from './body-spec.json';

type SpecEntries = [name: string, spec: Record<string, unknown>][];

/** A schema's spec as plain data: its nodes and marks, in order, each with what is not a function. */
export type SpecData = { topNode: string; nodes: SpecEntries; marks: SpecEntries };

/**
 * What of `schema`'s spec is data: content, groups, attributes with their defaults, table roles,
 * inclusiveness… everything but how it is parsed from and rendered to the DOM or to text (an
 * editor's and a browser's business, and functions), in the schema's order, which decides
 * what fills in missing content.
 */
export function specAsData(schema: Schema): SpecData {
  const entries = (map: Schema['spec']['nodes'] | Schema['spec']['marks']): SpecEntries => {
    const out: SpecEntries = [];
    map.forEach((name: string, spec: object) => out.push([name, JSON.parse(JSON.stringify(spec, (key, value) => (key === 'parseDOM' ? undefined : value)))]));
    return out;
  };
  return { topNode: schema.spec.topNode ?? 'doc', nodes: entries(schema.spec.nodes), marks: entries(schema.spec.marks) };
}

let plain: Schema | undefined;

/**
 * The body's schema for the server, built from ProseMirror's model alone: the editor's schema
 * (`bodySchema` in extensions.ts) as data, kept in body-spec.json, so that what reads, checks
 * and repairs docs (the collaboration server, revisions) need not load TipTap's editor and
 * ProseMirror's view. A unit test checks the file against the editor's extensions;
 * `npm run body-spec` writes it anew after they change.
 */
export function plainBodySchema(): Schema {
  const data = bodySpec as SpecData;
  plain ??= new Schema({ topNode: data.topNode, nodes: Object.fromEntries(data.nodes), marks: Object.fromEntries(data.marks) });
  return plain;
}
