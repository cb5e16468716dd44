import type { AnyExtension } from '@tiptap/core';
import { getSchema } from '@tiptap/core';
import { Plugin, type Transaction } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { TrailingNode } from '@tiptap/extensions';
import { Heading } from '@tiptap/extension-heading';
import { Link } from '@tiptap/extension-link';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { EntityLink } from './entity-link';
import { Citation } from './citation';
import { MAX_TABLE_SPAN, isAllowedHref } from './rules';

/**
 * Links as in most editors: text typed just after a link is not part of it. (TipTap makes the
 * mark inclusive when it links addresses as they are typed, so every word typed at the end of
 * a link went into the link.)
 */
const WebLink = Link.extend({ inclusive: () => false });

/**
 * Section headings: levels 2 to 4, as on Wikipedia (the page's title is its one h1). A pasted h1
 * becomes a level 2 heading, an h5 or h6 a level 4 one, rather than a second page title or plain text.
 */
const SectionHeading = Heading.extend({
  parseHTML() {
    return [1, 2, 3, 4, 5, 6].map((n) => ({ tag: `h${n}`, attrs: { level: Math.min(Math.max(n, 2), 4) } }));
  },
}).configure({ levels: [2, 3, 4] });

/** A span as pasted HTML gives it: a whole number from 1 to MAX_TABLE_SPAN, 1 for anything else. */
function spanFromHTML(value: string | null): number {
  const span = Number.parseInt(value ?? '', 10);
  return Number.isFinite(span) && span >= 1 ? Math.min(span, MAX_TABLE_SPAN) : 1;
}

/** Table cells and header cells whose spans, pasted, are whole numbers within MAX_TABLE_SPAN. */
function withBoundedSpans<E extends typeof TableCell | typeof TableHeader>(cell: E): E {
  return cell.extend({
    addAttributes() {
      return {
        ...this.parent?.(),
        colspan: { default: 1, parseHTML: (element: HTMLElement) => spanFromHTML(element.getAttribute('colspan')) },
        rowspan: { default: 1, parseHTML: (element: HTMLElement) => spanFromHTML(element.getAttribute('rowspan')) },
      };
    },
  }) as E;
}

/**
 * An extension whose plugins change the doc in reply to a change (prosemirror-tables evening out
 * a table's rows, the paragraph kept after a last table or list, linking an address as it is
 * typed), made to reply only to this editor's own changes, and never in a read-only one. In a
 * shared doc every open editor would otherwise make the same repair of someone's change and the
 * repairs would all merge: one row and one column added at once by two people made two cells
 * where one was missing, then more to even those out, and the table ended 14 columns wide. A
 * read-only editor's repairs are refused by the server and leave its copy unlike everyone's.
 * With `repairsTables: false`, prosemirror-tables is told nothing changed, so it evens out no
 * table and only keeps the selection valid (see `sharedTable`).
 */
function ownChangesOnly<E extends AnyExtension>(extension: E, isRemote: (tr: Transaction) => boolean, { repairsTables = true } = {}): E {
  return extension.extend({
    addProseMirrorPlugins() {
      const editor = this.editor;
      return (this.parent?.() ?? []).map((plugin) => {
        const append = plugin.spec.appendTransaction;
        if (!append) return plugin;
        return new Plugin({
          ...plugin.spec,
          appendTransaction(transactions, oldState, state) {
            if (!editor.isEditable || transactions.every(isRemote)) return null;
            // `fixTables(state, oldState)` looks only at tables that differ between the two states.
            return append.call(this, transactions, repairsTables ? oldState : state, state);
          },
        });
      });
    },
  }) as E;
}

/**
 * The table of a shared doc: its editor evens out no table, not even after its own change. The
 * server evens out every table a change leaves uneven (server/collab/table-repair.ts), once, as
 * the one place every change goes through. An editor that also did, for its own changes, did it
 * a second time when its person typed in a table another's change had just left uneven, before
 * the server's repair of it arrived: the table then grew an empty column. The editor's own
 * commands (add a row, delete a column…) keep a table even by themselves.
 */
function sharedTable(isRemote: (tr: Transaction) => boolean) {
  return ownChangesOnly(Table, isRemote, { repairsTables: false });
}

/**
 * The one extension list of the entity body, used by the browser editor and by the server
 * (seeding, rendering revisions, extracting links and citations). Plain TypeScript, no React.
 * The editor of a shared doc passes `isRemote` (which transactions bring others' changes), so
 * that its automatic repairs answer its own changes only (`ownChangesOnly`).
 */
export function bodyExtensions({ isRemote }: { isRemote?: (tr: Transaction) => boolean } = {}): AnyExtension[] {
  const own = <E extends AnyExtension>(extension: E) => (isRemote ? ownChangesOnly(extension, isRemote) : extension);
  return [
    StarterKit.configure({
      undoRedo: false, // Collaboration brings its own undo manager
      codeBlock: false,
      link: false, // WebLink below
      trailingNode: false, // below
      heading: false, // SectionHeading
    }),
    SectionHeading,
    own(TrailingNode),
    own(WebLink).configure({
      openOnClick: false,
      autolink: true,
      protocols: ['http', 'https', 'mailto'],
      isAllowedUri: (url) => isAllowedHref(url),
      HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
    }),
    (isRemote ? sharedTable(isRemote) : Table).configure({ resizable: false }),
    TableRow,
    withBoundedSpans(TableHeader),
    withBoundedSpans(TableCell),
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
