'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import Collaboration, { isChangeOrigin } from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { bodyExtensions } from '@/components/editor/schema/extensions';
import { EntityLinkSuggestion, type LinkHome } from './entity-link-suggestion';
import { CiteSourceDialog } from './CiteSourceDialog';
import { LinkForm } from './LinkForm';

type Props = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  user: { name: string; color: string };
  editable: boolean;
  home: LinkHome;
  /** What becomes of the changes while the connection is down (null while it is up): kept in sight under the toolbar. */
  notice: string | null;
};

function ToolbarButton({ label, active, onClick, children }: { label: string; active?: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={active}
      tabIndex={-1} // the toolbar gives one button the stop (useRovingFocus)
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
      className={`min-w-8 shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm ${active ? 'bg-sky-100 text-sky-900' : 'hover:bg-wash'}`}
    >
      {children}
    </button>
  );
}

function Toolbar({ editor, onCite, onLink }: { editor: Editor; onCite: () => void; onLink: () => void }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      table: e.isActive('table'),
    }),
  });
  const chain = () => editor.chain().focus();
  // Escape goes back to the text (Alt+F10 there comes to the toolbar: see the editor's keys).
  const { ref, onKeyDown } = useRovingFocus(() => editor.commands.focus());
  // On a phone the toolbar is one row that scrolls sideways (as in mobile word processors); wider, it wraps.
  return (
    <div ref={ref} onKeyDown={onKeyDown} role="toolbar" aria-label="Formatting" className="relative flex items-center gap-1 border-b border-line bg-wash px-2 py-1 max-sm:overflow-x-auto sm:flex-wrap">
      <ToolbarButton label="Bold" active={state.bold} onClick={() => chain().toggleBold().run()}><strong>B</strong></ToolbarButton>
      <ToolbarButton label="Italic" active={state.italic} onClick={() => chain().toggleItalic().run()}><em>I</em></ToolbarButton>
      <ToolbarButton label="H2 heading" active={state.h2} onClick={() => chain().toggleHeading({ level: 2 }).run()}>H2</ToolbarButton>
      <ToolbarButton label="H3 subheading" active={state.h3} onClick={() => chain().toggleHeading({ level: 3 }).run()}>H3</ToolbarButton>
      <ToolbarButton label="Bulleted list" active={state.bullet} onClick={() => chain().toggleBulletList().run()}>• List</ToolbarButton>
      <ToolbarButton label="1. List, numbered" active={state.ordered} onClick={() => chain().toggleOrderedList().run()}>1. List</ToolbarButton>
      <ToolbarButton label="Quote" active={state.quote} onClick={() => chain().toggleBlockquote().run()}>❝</ToolbarButton>
      <ToolbarButton label="Insert table" onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}>Table</ToolbarButton>
      {state.table && (
        // Shown while the caret is in a table; Tab in its last cell adds a row too.
        <span ref={scrollIntoToolbar} role="group" aria-label="Table" className="flex shrink-0 items-center gap-1 rounded border border-line px-1 sm:flex-wrap">
          <ToolbarButton label="Add a row below" onClick={() => chain().addRowAfter().run()}>+ Row</ToolbarButton>
          <ToolbarButton label="Add a column to the right" onClick={() => chain().addColumnAfter().run()}>+ Column</ToolbarButton>
          <ToolbarButton label="Delete this row" onClick={() => chain().deleteRow().run()}>− Row</ToolbarButton>
          <ToolbarButton label="Delete this column" onClick={() => chain().deleteColumn().run()}>− Column</ToolbarButton>
          <ToolbarButton label="Delete the table" onClick={() => chain().deleteTable().run()}>Delete table</ToolbarButton>
        </span>
      )}
      <ToolbarButton label="Web link (Ctrl+K)" active={state.link} onClick={onLink}>Link</ToolbarButton>
      <ToolbarButton label="Link a page (or type [[)" onClick={() => chain().insertContent('[[').run()}>[[ Page</ToolbarButton>
      <ToolbarButton label="Cite source" onClick={onCite}>Cite source</ToolbarButton>
      {/* On a wide screen undo and redo wrap to the next line together. */}
      <span className="flex shrink-0 items-center gap-1">
        <span className="mx-1 h-5 w-px bg-line" aria-hidden="true" />
        <ToolbarButton label="Undo" onClick={() => chain().undo().run()}>↶</ToolbarButton>
        <ToolbarButton label="Redo" onClick={() => chain().redo().run()}>↷</ToolbarButton>
      </span>
    </div>
  );
}

/** Scrolls a one-row toolbar (a phone's) sideways to the start of a group of buttons that just appeared in it. */
function scrollIntoToolbar(group: HTMLElement | null): void {
  const toolbar = group?.closest<HTMLElement>('[role="toolbar"]');
  if (!group || !toolbar || toolbar.scrollWidth <= toolbar.clientWidth) return;
  toolbar.scrollTo({ left: group.offsetLeft - 8 }); // the toolbar (relative) is the group's offset parent
}

/**
 * A toolbar is one stop for Tab; the arrow keys, Home and End move between its buttons (the
 * WAI-ARIA toolbar pattern), and Tab goes on to the text. The button last used keeps the stop.
 */
function useRovingFocus(onEscape: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  const buttons = () => [...(ref.current?.querySelectorAll('button') ?? [])];
  const takeStop = (target: Element | null) => buttons().forEach((b) => (b.tabIndex = b === target ? 0 : -1));
  useEffect(() => {
    const toolbar = ref.current;
    const onFocusIn = (event: FocusEvent) => takeStop(event.target as Element);
    toolbar?.addEventListener('focusin', onFocusIn);
    return () => toolbar?.removeEventListener('focusin', onFocusIn);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per toolbar
  }, []);
  // After every render: the table's buttons come and go with the caret, and the stop may have gone with them.
  useEffect(() => {
    const all = buttons();
    if (!all.some((b) => b.tabIndex === 0)) takeStop(all[0] ?? null);
  });
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      return onEscape();
    }
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 };
    if (at < 0 || !Object.hasOwn(moves, event.key)) return;
    const next = moves[event.key];
    event.preventDefault();
    all[(next + all.length) % all.length].focus();
  }
  return { ref, onKeyDown };
}

/**
 * Puts the browser's text selection into the editor's state. A selection made with the keyboard
 * reaches ProseMirror with the browser's next 'selectionchange' event, which it ignores once the
 * focus has gone: Ctrl+K pressed at once would otherwise link (or replace) what was selected before.
 */
function takeBrowserSelection(view: EditorView): void {
  const browser = view.dom.ownerDocument.getSelection();
  const { selection, doc } = view.state;
  if (!(selection instanceof TextSelection) || !browser?.anchorNode || !browser.focusNode) return;
  if (!view.dom.contains(browser.anchorNode) || !view.dom.contains(browser.focusNode)) return;
  try {
    const anchor = view.posAtDOM(browser.anchorNode, browser.anchorOffset);
    const head = view.posAtDOM(browser.focusNode, browser.focusOffset);
    if (anchor !== selection.anchor || head !== selection.head) view.dispatch(view.state.tr.setSelection(TextSelection.between(doc.resolve(anchor), doc.resolve(head))));
  } catch {
    // A point in the page the editor does not map (a caret label): its own selection stands.
  }
}

/** The entity body bound to the Y.Doc's `body` fragment, with carets of everyone editing. */
export function BodyEditor({ doc, provider, user, editable, home, notice }: Props) {
  const [citing, setCiting] = useState(false);
  const [linking, setLinking] = useState(false);
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...bodyExtensions({ isRemote: isChangeOrigin }),
        Collaboration.configure({ document: doc, field: 'body' }),
        CollaborationCaret.configure({ provider, user }),
        EntityLinkSuggestion.configure({ home }),
      ],
      editorProps: {
        attributes: { class: 'doc-body font-serif text-[1.075rem] min-h-[16rem] p-4 focus:outline-none', 'aria-label': 'Page text', role: 'textbox', 'aria-multiline': 'true', 'aria-keyshortcuts': 'Alt+F10 Control+K' },
        // Alt+F10 moves to the formatting toolbar (as in most rich-text editors), to the button last used.
        handleKeyDown: (view, event) => {
          // Ctrl+K (Cmd+K) edits the web link of the selection, as in most editors.
          if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
            if (!view.editable) return false;
            takeBrowserSelection(view);
            setLinking(true);
            return true;
          }
          if (!(event.altKey && event.key === 'F10')) return false;
          const stop = view.dom.closest('[data-body-editor]')?.querySelector<HTMLButtonElement>('[role="toolbar"] button[tabindex="0"]');
          stop?.focus();
          return Boolean(stop);
        },
        // Links (entity links are atoms, so live anchors) open only with Ctrl/Cmd+click while editing.
        handleDOMEvents: {
          click: (_view, event) => {
            const link = (event.target as HTMLElement).closest('a');
            if (!link || event.metaKey || event.ctrlKey) return false;
            event.preventDefault();
            return true;
          },
        },
      },
    },
    [doc, provider],
  );
  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);
  if (!editor) return <div className="min-h-[16rem] p-4 text-muted">Loading the editor…</div>;
  return (
    <div data-body-editor className="rounded border border-line bg-white">
      {(editable || notice) && (
        // Stays at the top of the window while the text scrolls: the toolbar, and while the
        // connection is down, what becomes of the changes (the status above has scrolled away
        // by then; it is the one that is announced).
        <div className="sticky top-0 z-10">
          {editable && <Toolbar editor={editor} onCite={() => setCiting(true)} onLink={() => setLinking(true)} />}
          {notice && (
            <p data-testid="connection-notice" className="flex items-center gap-2 border-b border-amber-300 bg-amber-50 px-3 py-1 text-xs text-ink">
              <span className="inline-block h-2 w-2 shrink-0 rounded-full bg-amber-500" aria-hidden="true" />
              {notice}
            </p>
          )}
        </div>
      )}
      {editable && linking && <LinkForm editor={editor} onDone={() => setLinking(false)} />}
      <EditorContent editor={editor} />
      {citing && (
        <CiteSourceDialog
          onClose={() => setCiting(false)}
          onInsert={(citation) => editor.chain().focus().insertContent({ type: 'citation', attrs: citation }).run()}
        />
      )}
    </div>
  );
}
