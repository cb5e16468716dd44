import { createHash } from 'node:crypto';
import { bodyThroughSchema } from '@/server/docs/body-schema';
import type { EntityContent } from '@/server/docs/entity-doc';

/** A copy with every object's keys in sorted order, so equal content stringifies equally. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export type Canonical = {
  /** Sorted-key JSON with one value per line: what revisions store and diff. */
  pretty: string;
  /** Byte size of the compact canonical JSON. */
  size: number;
  /** sha256 of the compact canonical JSON: the revision's fingerprint. */
  sha256: string;
};

/** Canonical form of an entity's whole content: fields, statements and body, in one JSON document. */
export function canonicalize(content: EntityContent): Canonical {
  const value = sortKeys({ body: bodyThroughSchema(content.body), fields: content.fields, statements: content.statements });
  return fromPretty(JSON.stringify(value, null, 1));
}

/** Size and hash of stored pretty canonical JSON (both are defined on its compact form). */
export function fromPretty(pretty: string): Canonical {
  const compact = JSON.stringify(JSON.parse(pretty));
  return { pretty, size: Buffer.byteLength(compact), sha256: createHash('sha256').update(compact).digest('hex') };
}
