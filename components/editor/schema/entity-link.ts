import { Node, mergeAttributes } from '@tiptap/core';

export type EntityLinkAttrs = { entityId: string; label: string };

/**
 * An inline link to another entity. Stores the entity's id (stable across renames) and the
 * text shown; pages resolve the id to the entity's current slug.
 */
export const EntityLink = Node.create({
  name: 'entityLink',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      entityId: { default: '', parseHTML: (el) => el.getAttribute('data-entity-id') ?? '' },
      label: { default: '', parseHTML: (el) => el.textContent ?? '' },
    };
  },

  parseHTML() {
    return [{ tag: 'a[data-entity-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      'a',
      mergeAttributes({ 'data-entity-id': node.attrs.entityId, href: `/wiki/${encodeURIComponent(node.attrs.entityId)}`, class: 'entity-link' }, HTMLAttributes, {
        entityId: null,
        label: null,
      }),
      node.attrs.label,
    ];
  },

  renderText({ node }) {
    return node.attrs.label;
  },
});
