import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { bodySchema } from '@/components/editor/schema/extensions';
import { bodyJsonOf } from './entity-doc';

const text = (t: string, marks?: object[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const link = (href: string) => ({ type: 'link', attrs: { href, target: null, rel: 'noopener noreferrer nofollow', class: null, title: null } });

describe('the body read from a doc', () => {
  it('is what y-tiptap reads: nodes, attributes, marks, tables, entity links and citations', () => {
    const doc = new Y.Doc();
    const body = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [text('Terms')] },
        paragraph(text('Signed at '), text('Rapallo', [{ type: 'bold' }, link('https://example.org')]), text(' by '), { type: 'entityLink', attrs: { entityId: 'e1', label: 'Chicherin' } }, { type: 'citation', attrs: { sourceId: 's1', start: 3, end: 9, quote: 'Rapall' } }),
        { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Recognition', [{ type: 'italic' }]))] }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2, rowspan: 1, colwidth: [120, 80] }, content: [paragraph()] }] }] },
        paragraph(),
      ],
    };
    prosemirrorJSONToYXmlFragment(bodySchema(), body, doc.getXmlFragment('body'));
    // What a client wrote that no editor makes: text at the top level, a mark under a hashed name, an unknown node.
    const fragment = doc.getXmlFragment('body');
    fragment.insert(1, [new Y.XmlText('stray'), new Y.XmlElement('script')]);
    ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { 'comment--AbCd1234': { id: 7 } });

    const read = bodyJsonOf(fragment);
    expect(read).toEqual(yXmlFragmentToProsemirrorJSON(fragment));
    expect(JSON.stringify(read)).toContain('"colwidth":[120,80]');
    expect(read.content?.[0]).toMatchObject({ content: [{ text: 'Te', marks: [{ type: 'comment', attrs: { id: 7 } }] }, { text: 'rms' }] });
  });

  it('leaves out a hook, which y-tiptap stops at', () => {
    const fragment = new Y.Doc().getXmlFragment('body');
    fragment.insert(0, [new Y.XmlElement('paragraph'), new Y.XmlHook('hook') as unknown as Y.XmlElement]); // as a crafted update can make it
    expect(bodyJsonOf(fragment)).toEqual({ type: 'doc', content: [{ type: 'paragraph' }, []] });
  });
});
