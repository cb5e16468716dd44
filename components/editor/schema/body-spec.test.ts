import { describe, expect, it } from 'vitest';
import { bodySchema } from './extensions';
import { plainBodySchema, specAsData } from './body-spec';

describe("the body's schema without the editor", () => {
  it('is the editor\'s schema: body-spec.json is up to date with the extensions (`npm run body-spec` writes it)', () => {
    expect(specAsData(plainBodySchema())).toEqual(specAsData(bodySchema()));
  });

  it('reads content and fills in what is missing as the editor\'s schema does', () => {
    const body = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Terms', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: '/wiki/x' } }] }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2 } }] }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [] }] },
      ],
    };
    const read = (schema: typeof plainBodySchema extends () => infer S ? S : never) => {
      const node = schema.nodeFromJSON(body);
      const filled = schema.nodes.listItem.createAndFill()!;
      return { node: node.toJSON(), filled: filled.toJSON(), text: node.textContent, fits: schema.nodes.paragraph.validContent(node.content) };
    };
    expect(read(plainBodySchema())).toEqual(read(bodySchema()));
    expect(read(plainBodySchema()).filled).toEqual({ type: 'listItem', content: [{ type: 'paragraph' }] });
  });
});
