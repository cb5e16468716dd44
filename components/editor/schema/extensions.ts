import type { AnyExtension } from '@tiptap/core';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Link } from '@tiptap/extension-link';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { EntityLink } from './entity-link';
import { Citation } from './citation';

/** Only these link protocols survive parsing or pasting; anything else (javascript:, data:) is dropped. */
export const ALLOWED_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'];

/** True for http(s), mailto and relative URLs. */
export function isAllowedHref(href: string): boolean {
  const trimmed = href.trim();
  if (/^(\/(?!\/)|#|\?|\.\.?\/)/.test(trimmed)) return true;
  try {
    return ALLOWED_LINK_PROTOCOLS.includes(new URL(trimmed).protocol);
  } catch {
    return false;
  }
}

/**
 * Links as in most editors: text typed just after a link is not part of it. (TipTap makes the
 * mark inclusive when it links addresses as they are typed, so every word typed at the end of
 * a link went into the link.)
 */
const WebLink = Link.extend({ inclusive: () => false });

/**
 * The one extension list of the entity body, used by the browser editor and by the server
 * (seeding, rendering revisions, extracting links and citations). Plain TypeScript, no React.
 */
export function bodyExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false, // Collaboration brings its own undo manager
      codeBlock: false,
      link: false, // WebLink below
    }),
    WebLink.configure({
      openOnClick: false,
      autolink: true,
      protocols: ['http', 'https', 'mailto'],
      isAllowedUri: (url) => isAllowedHref(url),
      HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
    }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    EntityLink,
    Citation,
  ];
}

let cached: ReturnType<typeof getSchema> | undefined;

/** The ProseMirror schema of the body, built once from `bodyExtensions()`. */
export function bodySchema() {
  cached ??= getSchema(bodyExtensions());
  return cached;
}
