import { describe, expect, it } from 'vitest';
import { bodyToHtml } from './body-html';

const paragraph = (...content: object[]) => ({ type: 'doc', content: [{ type: 'paragraph', content }] }) as never;

describe('bodyToHtml', () => {
  it('renders through the schema and escapes text and attributes', () => {
    const html = bodyToHtml({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Origins' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script> & ' }, { type: 'entityLink', attrs: { entityId: 'e1', label: 'Borodin' } }] },
      ],
    });
    expect(html).toBe('<h2>Origins</h2><p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <a data-entity-id="e1" href="/wiki/e1" class="entity-link">Borodin</a></p>');
  });

  it('nests marks as the editor does: a mark shared by neighbouring text opens once', () => {
    const html = bodyToHtml(
      paragraph(
        { type: 'text', text: 'bold ', marks: [{ type: 'bold' }] },
        { type: 'text', text: 'both', marks: [{ type: 'bold' }, { type: 'italic' }] },
        { type: 'text', text: ' italic', marks: [{ type: 'italic' }] },
      ),
    );
    expect(html).toBe('<p><strong>bold <em>both</em></strong><em> italic</em></p>');
  });

  it('keeps quotes and markup in attribute values inside the attribute', () => {
    const html = bodyToHtml(
      paragraph(
        { type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://example.org/?a=1&b="2"><script>' } }] },
        { type: 'citation', attrs: { sourceId: 's1', start: 1, end: 5, quote: 'He said "<no>" & left' } },
      ),
    );
    expect(html).toContain('href="https://example.org/?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('data-quote="He said &quot;&lt;no&gt;&quot; &amp; left"');
    expect(html).not.toContain('<script');
  });

  it('writes void elements without a closing tag, and lists, tables and rules whole', () => {
    const html = bodyToHtml({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'one' }, { type: 'hardBreak' }, { type: 'text', text: 'two\u00a0three' }] },
        { type: 'horizontalRule' },
        { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'cell' }] }] }] }] },
      ],
    } as never);
    expect(html).toMatch(/^<p>one<br>two&nbsp;three<\/p><hr><ol start="3"><li><p>item<\/p><\/li><\/ol><table[^>]*><colgroup>(<col[^>]*>)+<\/colgroup><tbody><tr><td colspan="2"[^>]*><p>cell<\/p><\/td><\/tr><\/tbody><\/table>$/);
    expect(html).not.toMatch(/<\/(br|hr|col)>/);
  });
});
