import Link from 'next/link';
import { formatFuzzyDate } from '@/components/model/dates';
import { fieldLabel, fieldText, infoboxOrder } from '@/components/model/entity-types';
import { relationLabel } from '@/components/model/predicates';
import { counted } from './format';

type WordOp = { op: 'same' | 'added' | 'removed'; text: string };
type Block = { op: 'same' | 'added' | 'removed'; kind: string; text: string } | { op: 'changed'; kind: string; before: string; after: string; words: WordOp[] };
type Diff = {
  fields: { field: string; before: unknown; after: unknown }[];
  statements: { op: 'added' | 'removed'; statement: { predicate: string; targetEntityId: string; qualifiers: { date?: string; role?: string } } }[];
  blocks: Block[];
  stats: { wordsAdded: number; wordsRemoved: number; blocksChanged: number };
};

const absent = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const Ins = ({ children }: { children: React.ReactNode }) => <ins className="bg-emerald-100 text-emerald-900 no-underline decoration-emerald-700 underline-offset-2">{children}</ins>;
const Del = ({ children }: { children: React.ReactNode }) => <del className="bg-red-100 text-red-900">{children}</del>;

function Words({ words, side }: { words: WordOp[]; side?: 'before' | 'after' }) {
  return (
    <>
      {words.map((w, i) =>
        w.op === 'same' ? <span key={i}>{w.text}</span> : w.op === 'added' ? (side === 'before' ? null : <Ins key={i}>{w.text}</Ins>) : side === 'after' ? null : <Del key={i}>{w.text}</Del>,
      )}
    </>
  );
}

/** A revision diff: fields and relations as changes, the body inline or side by side with word-level marks. */
export function DiffView({ type, diff, view, targetTitles, toggleHref }: { type: string; diff: Diff; view: 'inline' | 'side'; targetTitles: Record<string, string>; toggleHref: string }) {
  // A field's side reads as the infobox shows it; a side where the field is not set is a plain dash, not struck-out text.
  const inInfobox = infoboxOrder(type);
  const side = (field: string, value: unknown, Mark: typeof Ins) => (absent(value) ? <span className="text-muted">—</span> : <Mark>{fieldText(type, field, value)}</Mark>);
  const changedBlocks = diff.blocks.filter((b) => b.op !== 'same');
  return (
    <div className="space-y-6">
      <p className="text-sm text-muted">
        {counted(diff.stats.wordsAdded, 'word')} added, {diff.stats.wordsRemoved} removed, {counted(diff.stats.blocksChanged, 'paragraph')} edited · {counted(diff.fields.length, 'field')} and {counted(diff.statements.length, 'relation')} changed ·{' '}
        <Link href={toggleHref}>{view === 'inline' ? 'Side by side' : 'Inline'}</Link>
      </p>
      <section aria-labelledby="fields-diff" className="bg-white border border-line rounded p-4">
        <h2 id="fields-diff" className="font-serif text-xl mb-2">Infobox fields</h2>
        {diff.fields.length === 0 ? <p className="text-sm text-muted">No field changed.</p> : (
          <table className="w-full text-sm">
            <thead><tr className="text-left text-muted"><th className="py-1">Field</th><th>Before</th><th>After</th></tr></thead>
            <tbody className="divide-y divide-line">
              {diff.fields.toSorted((x, y) => inInfobox(x.field, y.field)).map((f) => (
                <tr key={f.field}><th scope="row" className="py-1 pr-3 text-left font-medium">{fieldLabel(type, f.field)}</th><td className="pr-3">{side(f.field, f.before, Del)}</td><td>{side(f.field, f.after, Ins)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="relations-diff" className="bg-white border border-line rounded p-4">
        <h2 id="relations-diff" className="font-serif text-xl mb-2">Relations</h2>
        {diff.statements.length === 0 ? <p className="text-sm text-muted">No relation changed.</p> : (
          <ul className="text-sm space-y-1">
            {diff.statements.map((s, i) => {
              const text = `${relationLabel(s.statement.predicate, 'out')} ${targetTitles[s.statement.targetEntityId] ?? 'a page you cannot see'}${s.statement.qualifiers.date ? ` (${formatFuzzyDate(s.statement.qualifiers.date)})` : ''}`;
              return <li key={i}>{s.op === 'added' ? <>Added: <Ins>{text}</Ins></> : <>Removed: <Del>{text}</Del></>}</li>;
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="body-diff" className="bg-white border border-line rounded p-4">
        <h2 id="body-diff" className="font-serif text-xl mb-2">Text</h2>
        {changedBlocks.length === 0 && <p className="text-sm text-muted">The text did not change.</p>}
        {view === 'inline' ? (
          <div className="space-y-3 font-serif">
            {diff.blocks.map((b, i) =>
              b.op === 'same' ? (
                <p key={i} className="text-muted line-clamp-2">{b.text}</p>
              ) : b.op === 'changed' ? (
                <p key={i} className="border-l-4 border-sky-400 pl-3"><Words words={b.words} /></p>
              ) : (
                <p key={i} className={`border-l-4 pl-3 ${b.op === 'added' ? 'border-emerald-500' : 'border-red-500'}`}>{b.op === 'added' ? <Ins>{b.text}</Ins> : <Del>{b.text}</Del>}</p>
              ),
            )}
          </div>
        ) : (
          <table className="w-full table-fixed text-sm font-serif">
            <thead><tr className="text-left font-sans text-muted"><th className="w-1/2 pb-1">Before</th><th className="pb-1">After</th></tr></thead>
            <tbody className="align-top">
              {diff.blocks.map((b, i) => (
                <tr key={i} className="border-t border-line">
                  <td className="p-2">{b.op === 'same' ? <span className="text-muted">{b.text}</span> : b.op === 'changed' ? <Words words={b.words} side="before" /> : b.op === 'removed' ? <Del>{b.text}</Del> : null}</td>
                  <td className="p-2">{b.op === 'same' ? <span className="text-muted">{b.text}</span> : b.op === 'changed' ? <Words words={b.words} side="after" /> : b.op === 'added' ? <Ins>{b.text}</Ins> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
