import { describe, expect, it } from 'vitest';
import type { BodyJson } from '@/db/schema';
import { bodyThroughSchema } from './body-schema';

const text = (t: string, marks?: BodyJson['marks']): BodyJson => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const paragraph = (...content: BodyJson[]): BodyJson => ({ type: 'paragraph', content });
const doc = (...content: BodyJson[]): BodyJson => ({ type: 'doc', content });
const entity = '0b4f3c36-5d0e-4a4e-9a57-3c1d2f1e0a01';

describe('the body through the schema', () => {
  it('keeps a body the editor made as it is: headings, lists, quotes, tables, links, entity links and citations', () => {
    const body = doc(
      { type: 'heading', attrs: { level: 2 }, content: [text('Terms')] },
      paragraph(text('Signed at '), text('Rapallo', [{ type: 'bold' }]), text(' by '), { type: 'entityLink', attrs: { entityId: entity, label: 'Chicherin' } }, text('.'), { type: 'citation', attrs: { sourceId: entity, start: 3, end: 9, quote: 'Rapall' } }),
      { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Recognition'))] }] },
      { type: 'blockquote', content: [paragraph(text('See '), text('the text', [{ type: 'link', attrs: { href: 'https://example.org/rapallo', target: null, rel: 'noopener noreferrer nofollow', class: null, title: null } }]))] },
      { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [paragraph(text('Party'))] }] }] },
    );
    const once = bodyThroughSchema(body);
    expect(JSON.stringify(once)).toContain('Chicherin');
    expect(bodyThroughSchema(once)).toEqual(once); // stable: a revision's hash does not move
    expect(JSON.stringify(once).match(/"type":"(\w+)"/g)).toEqual(JSON.stringify(body).match(/"type":"(\w+)"/g));
  });

  it("leaves out what the schema has no place for, and keeps the rest of the page (a client can write anything)", () => {
    const body = doc(
      paragraph(text('Kept.')),
      { type: 'script', content: [text('alert(1)')] },
      { type: 'image', attrs: { src: 'x', onerror: 'alert(2)' } },
      paragraph(text(''), text('bad link', [{ type: 'link', attrs: { href: 'javascript:alert(3)' } }]), text(' odd mark', [{ type: 'blink' }])),
      { type: 'bulletList', content: [text('bare text in a list'), { type: 'listItem', content: [] }] },
      { type: 'doc', content: [paragraph(text('A doc inside'))] },
      null as unknown as BodyJson,
    );
    expect(bodyThroughSchema(body)).toEqual(
      doc(paragraph(text('Kept.')), paragraph(text('bad link odd mark')), { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] }),
    );
  });

  it('gives an empty page for something that is not a body', () => {
    for (const junk of [null, 5, 'doc', { type: 'paragraph' }, { type: 'doc', content: 'x' }]) expect(bodyThroughSchema(junk as never)).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});
