import { describe, expect, it } from 'vitest';
import { bodyToHtml } from './body-html';

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
});
