'use client';

import Link from 'next/link';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { fieldLabel, fieldText, infoboxOrder } from '@/components/model/entity-types';
import { relationLabel } from '@/components/model/predicates';
import { userTint } from '@/components/model/user-color';
import { counted } from '@/components/revisions/format';
import type { PageAuthorship } from '@/components/model/authorship';

type Block = PageAuthorship['blocks'][number];
type Props = { type: string; authorship: PageAuthorship; targets: Record<string, { slug: string; title: string }> };

const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** A field's value in a line, as the infobox shows it, cut to a readable length. */
function fieldLine(type: string, key: string, value: unknown): string {
  const text = fieldText(type, key, value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** Consecutive blocks that sit in the same list, quote or table, grouped so they render inside one. */
function groupBlocks(blocks: Block[]): Block[][] {
  const groups: Block[][] = [];
  for (const block of blocks) {
    const last = groups[groups.length - 1];
    if (last && block.within !== null && last[0].within === block.within) last.push(block);
    else groups.push([block]);
  }
  return groups;
}

/** One titled card of the page. */
function Section({ id, title, wide = false, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className={`bg-white border border-line rounded p-4 ${wide ? 'sm:p-6' : ''}`}>
      <h2 id={`${id}-heading`} className="font-serif text-2xl border-b border-line mb-3">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A page's current text with each passage tinted in its author's colour, the authors with their
 * share of the text (each can be shown alone), and who set each infobox field and relation.
 */
export function AuthorshipView({ type, authorship, targets }: Props) {
  const { authors } = authorship;
  const [only, setOnly] = useState<number | null>(null);
  const nameOf = (i: number) => authors[i].username ?? 'not attributed';
  const inInfobox = infoboxOrder(type);
  const tint = (i: number): CSSProperties | undefined => {
    const author = authors[i];
    if (!author.username || (only !== null && only !== i)) return undefined;
    return { backgroundColor: userTint(author.username) };
  };
  const by = (i: number) => (
    <span className="whitespace-nowrap">
      <span aria-hidden="true" className="mr-1.5 inline-block h-3 w-3 rounded-sm border border-line align-baseline" style={tint(i)} />
      {authors[i].username ? <Link href={`/users/${authors[i].username}`}>{authors[i].username}</Link> : <span className="text-muted">not attributed</span>}
    </span>
  );

  const renderBlock = (block: Block, key: number): ReactNode => {
    const runs = block.runs.map((run, i) => (
      <span key={i} style={tint(run.author)} title={`Written by ${nameOf(run.author)}`} data-author={nameOf(run.author)}>
        {run.text}
      </span>
    ));
    if (block.kind === 'heading') {
      const Tag = `h${block.level + 1}` as 'h3' | 'h4' | 'h5';
      return <Tag key={key}>{runs}</Tag>;
    }
    return block.within === 'list' ? <li key={key}>{runs}</li> : <p key={key}>{runs}</p>;
  };
  const blocks = authorship.blocks.filter((b) => b.runs.length > 0);

  return (
    <div className="space-y-6">
      <Section id="authors" title="Authors">
        {authors.length === 0 ? (
          <p className="text-sm text-muted">Nobody has written anything on this page yet.</p>
        ) : (
          <ul className="space-y-1.5 text-sm">
            {authors.map((author, i) => (
              <li key={author.id ?? 'unattributed'} className="flex flex-wrap items-center gap-x-3 gap-y-1">
                {by(i)}
                <span className="text-muted">
                  {author.chars > 0 ? `${percent.format(author.share)} of the text (${counted(author.chars, 'character')})` : 'infobox or relations only'}
                </span>
                {author.username && authors.length > 1 && (
                  <button type="button" aria-pressed={only === i} onClick={() => setOnly(only === i ? null : i)} className="rounded border border-line px-2 py-0.5 hover:bg-wash aria-pressed:border-accent aria-pressed:bg-sky-50">
                    Only {author.username}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {authors.some((a) => a.id === null) && (
          <p className="mt-2 text-xs text-muted">Not attributed: text that came with the page when the site was set up (the seed), which no account typed.</p>
        )}
      </Section>

      <Section id="text" title="Text" wide>
        {blocks.length === 0 ? (
          <p className="text-sm text-muted">The page has no text yet.</p>
        ) : (
          <div className="doc-body font-serif text-[1.075rem] whitespace-pre-wrap">
            {groupBlocks(blocks).map((group, g) => {
              const rendered = group.map(renderBlock);
              if (group[0].within === 'list') return <ul key={g}>{rendered}</ul>;
              if (group[0].within === 'quote') return <blockquote key={g}>{rendered}</blockquote>;
              if (group[0].within === 'table') return <div key={g} className="border-l-4 border-line pl-3">{rendered}</div>;
              return rendered;
            })}
          </div>
        )}
      </Section>

      {authorship.fields.length > 0 && (
        <Section id="fields" title="Infobox">
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-muted">
                <th scope="col" className="py-1 pr-3 font-medium">Field</th>
                <th scope="col" className="py-1 pr-3 font-medium">Value</th>
                <th scope="col" className="py-1 font-medium">Written by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {authorship.fields.toSorted((x, y) => inInfobox(x.key, y.key)).map((f) => (
                <tr key={f.key}>
                  <th scope="row" className="py-1 pr-3 text-left font-medium">{fieldLabel(type, f.key)}</th>
                  <td className="py-1 pr-3 break-words">
                    {/* Typed by one author: the value as the infobox shows it; by several: what each typed, tinted. */}
                    {f.runs.length === 1
                      ? fieldLine(type, f.key, f.value)
                      : f.runs.map((run, i) => (
                          <span key={i} style={tint(run.author)} title={`Written by ${nameOf(run.author)}`} data-author={nameOf(run.author)}>
                            {run.text}
                          </span>
                        ))}
                  </td>
                  <td className="py-1">
                    {[...new Set(f.runs.map((run) => run.author))].map((author, i) => (
                      <span key={author}>
                        {i > 0 && ', '}
                        {by(author)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}

      {authorship.statements.length > 0 && (
        <Section id="relations" title="Relations">
          <ul className="space-y-1 text-sm">
            {authorship.statements.map((s, i) => {
              const target = targets[s.targetEntityId];
              return (
                <li key={i} className="flex flex-wrap gap-x-2">
                  <span>
                    {relationLabel(s.predicate, 'out')} {target ? <Link href={`/wiki/${target.slug}`}>{target.title}</Link> : <span className="text-muted">a page you cannot see</span>}
                  </span>
                  <span className="text-muted">added by</span> {by(s.author)}
                </li>
              );
            })}
          </ul>
        </Section>
      )}
    </div>
  );
}
