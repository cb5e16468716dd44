import { Node, mergeAttributes } from '@tiptap/core';

export type CitationAttrs = { sourceId: string; start: number; end: number; quote: string };

/**
 * An inline citation of a passage of a source document: `quote === source.text.slice(start, end)`.
 * Rendered as a numbered reference that jumps to the highlighted passage on the source page.
 */
export const Citation = Node.create({
  name: 'citation',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    const int = (name: string) => ({ default: 0, parseHTML: (el: HTMLElement) => Number(el.getAttribute(name)) || 0 });
    return {
      sourceId: { default: '', parseHTML: (el) => el.getAttribute('data-source-id') ?? '' },
      start: int('data-start'),
      end: int('data-end'),
      quote: { default: '', parseHTML: (el) => el.getAttribute('data-quote') ?? '' },
    };
  },

  parseHTML() {
    return [{ tag: 'cite[data-source-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const { sourceId, start, end, quote } = node.attrs;
    return [
      'cite',
      mergeAttributes(
        { 'data-source-id': sourceId, 'data-start': start, 'data-end': end, 'data-quote': quote, class: 'citation', title: quote },
        HTMLAttributes,
        { sourceId: null, start: null, end: null, quote: null },
      ),
      '[source]',
    ];
  },

  renderText({ node }) {
    return `“${node.attrs.quote}”`;
  },
});
