import type { ReactNode } from 'react';
import { DocBody, type DocNode } from './DocBody';
import { Infobox } from './Infobox';
import { RelationGroups, type RelationView } from './RelationGroups';
import { References, type ReferenceView } from './References';

type Props = {
  type: string;
  title: string;
  fields: Record<string, unknown>;
  body: DocNode;
  linkedEntities: Record<string, { slug: string; title: string }>;
  refNumbers: Record<string, number>;
  references: ReferenceView[];
  relations: RelationView[];
  relationsHeading?: string;
  /** Sections shown between the relations and the references (e.g. "What links here"). */
  children?: ReactNode;
};

/** An entity's article under its header: infobox, text, relations and numbered references (current page or a revision). */
export function ArticleBody({ type, title, fields, body, linkedEntities, refNumbers, references, relations, relationsHeading = 'Relations', children }: Props) {
  return (
    <div className="flex flex-col lg:flex-row-reverse gap-6">
      <Infobox type={type} title={title} fields={fields} />
      <div className="flex-1 min-w-0 space-y-8">
        <DocBody doc={body} entities={linkedEntities} refNumbers={refNumbers} />
        <section aria-labelledby="relations-heading">
          <h2 id="relations-heading" className="font-serif text-2xl border-b border-line mb-3">{relationsHeading}</h2>
          <RelationGroups relations={relations} refNumbers={refNumbers} />
        </section>
        {children}
        <section aria-labelledby="refs-heading">
          <h2 id="refs-heading" className="font-serif text-2xl border-b border-line mb-3">References</h2>
          {references.length ? <References references={references} /> : <p className="text-sm text-muted">No source is cited on this page.</p>}
        </section>
      </div>
    </div>
  );
}
