import { describe, expect, it } from 'vitest';
import type { DocNode } from './DocBody';
import { outlineOf } from './outline';

const text = (t: string): DocNode => ({ type: 'text', text: t });
const heading = (level: number, ...content: DocNode[]): DocNode => ({ type: 'heading', attrs: { level }, content });
const paragraph = (t: string): DocNode => ({ type: 'paragraph', content: [text(t)] });
const doc = (...content: DocNode[]): DocNode => ({ type: 'doc', content });
const summary = (body: DocNode, entities = {}) => outlineOf(body, entities).map(({ id, depth, number, text }) => [number, depth, id, text]);

describe('outlineOf', () => {
  it('numbers the sections as Wikipedia does, a subsection under its section', () => {
    const body = doc(paragraph('Lead.'), heading(2, text('Early life')), heading(3, text('In Vilnius')), heading(3, text('In Chicago')), heading(2, text('China')), heading(4, text('Canton')), heading(2, text('Later years')));
    expect(summary(body)).toEqual([
      ['1', 1, 'Early_life', 'Early life'],
      ['1.1', 2, 'In_Vilnius', 'In Vilnius'],
      ['1.2', 2, 'In_Chicago', 'In Chicago'],
      ['2', 1, 'China', 'China'],
      ['2.1', 2, 'Canton', 'Canton'], // a level skipped: still one deeper
      ['3', 1, 'Later_years', 'Later years'],
    ]);
  });

  it('a heading above the first one starts the numbering over at its depth', () => {
    expect(summary(doc(heading(3, text('Detail')), heading(2, text('Main')), heading(3, text('Sub'))))).toEqual([
      ['1', 1, 'Detail', 'Detail'],
      ['2', 1, 'Main', 'Main'],
      ['2.1', 2, 'Sub', 'Sub'],
    ]);
  });

  it('gives equal headings different anchors, never one the page itself uses, and none to an empty heading', () => {
    const body = doc(heading(2, text('Notes')), heading(2, text('Notes')), heading(2, text('relations')), heading(2, text('ref-1')), heading(2, text('  ')), heading(2, text('Notes_2')));
    expect(outlineOf(body, {}).map((e) => e.id)).toEqual(['Notes', 'Notes_2', 'relations_', 'ref-1_', 'Notes_2_2']);
  });

  it('reads entity links by their label or their page title, and skips citation marks', () => {
    const body = doc(
      heading(2, text('Talks with '), { type: 'entityLink', attrs: { entityId: 'e1', label: '' } }, { type: 'citation', attrs: { sourceId: 's', start: 0, end: 4 } }),
      heading(2, { type: 'entityLink', attrs: { entityId: 'e2', label: 'the Comintern' } }, text(' in   1927')),
    );
    expect(summary(body, { e1: { title: 'Sun Yat-sen' }, e2: { title: 'Communist International' } })).toEqual([
      ['1', 1, 'Talks_with_Sun_Yat-sen', 'Talks with Sun Yat-sen'],
      ['2', 1, 'the_Comintern_in_1927', 'the Comintern in 1927'],
    ]);
  });

  it('lists only the top-level headings (not one inside a quote)', () => {
    const body = doc(heading(2, text('Outer')), { type: 'blockquote', content: [heading(2, text('Quoted'))] });
    expect(summary(body)).toEqual([['1', 1, 'Outer', 'Outer']]);
  });
});
