import type { ReactNode } from 'react';
import { DocBody, type DocNode } from './DocBody';
import { Infobox, type InfoboxLinks } from './Infobox';
import { RelationGroups, type RelationView } from './RelationGroups';
import { References, type ReferenceView } from './References';
import { CONTENTS_FROM_HEADINGS, outlineOf } from './outline';
import { TableOfContents } from './TableOfContents';

type Props = {
  type: string;
  title: string;
  fields: Record<string, unknown>;
  body: DocNode;
  linkedEntities: Record<string, { slug: string; title: string }>;
  /** The pages the infobox's names lead to (Infobox's `links`). */
  fieldLinks: InfoboxLinks;
  refNumbers: Record<string, number>;
  references: ReferenceView[];
  relations: RelationView[];
  relationsHeading?: string;
  /** Said where the text would be when there is none (the editor's empty paragraph). */
  noText: ReactNode;
  /** Sections shown between the relations and the references (e.g. "What links here"). */
  children?: ReactNode;
  /** Those sections' headings, for the table of contents. */
  childSections?: { id: string; text: string }[];
};

/** Whether a doc has nothing to show: only empty paragraphs (a new page is one). */
function isEmptyDoc(doc: DocNode): boolean {
  return (doc.content ?? []).every((node) => node.type === 'paragraph' && !node.content?.length);
}

/** An entity's article under its header: infobox, text, relations and numbered references (current page or a revision). */
export function ArticleBody({ type, title, fields, body, linkedEntities, fieldLinks, refNumbers, references, relations, relationsHeading = 'Relations', noText, children, childSections = [] }: Props) {
  const outline = outlineOf(body, linkedEntities);
  // Listed after the text's own sections, as Wikipedia lists its References.
  const last = outline.filter((entry) => entry.depth === 1).length;
  const contents =
    outline.length >= CONTENTS_FROM_HEADINGS ? (
      <TableOfContents
        key="contents"
        entries={[
          ...outline,
          ...[{ id: 'relations-heading', text: relationsHeading }, ...childSections, { id: 'refs-heading', text: 'References' }].map((section, i) => ({ ...section, depth: 1, number: String(last + i + 1) })),
        ]}
      />
    ) : null;
  return (
    <div className="flex flex-col lg:flex-row-reverse gap-6">
      <Infobox type={type} title={title} fields={fields} links={fieldLinks} />
      <div className="flex-1 min-w-0 space-y-8">
        {isEmptyDoc(body) ? (
          <p className="text-muted">{noText}</p>
        ) : (
          <DocBody doc={body} entities={linkedEntities} refNumbers={refNumbers} anchors={new Map(outline.map((entry) => [entry.node, entry.id]))} contents={contents} />
        )}
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
