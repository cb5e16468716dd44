import { Extension, type Editor, type Range } from '@tiptap/core';
import Suggestion, { type SuggestionKeyDownProps, type SuggestionProps } from '@tiptap/suggestion';
import { PluginKey } from '@tiptap/pm/state';
import { ENTITY_TYPES, TYPE_INFO, type EntityType } from '@/components/model/entity-types';
import { SEARCH_FAILED_MESSAGE, UNREACHABLE_MESSAGE } from '@/components/lib/api-client';

type Item =
  | { kind: 'entity'; id: string; title: string; type: string; note: string | null }
  | { kind: 'create'; title: string; type: EntityType; inGroup: boolean }
  /** The search could not be made: said in the popup, in place of the choices. */
  | { kind: 'problem'; message: string };

/**
 * Where a page created from a link goes: where the page being edited is. A name typed in a
 * group's page stays in that group, readable as that page is (a group-only page's new link
 * made a public page in the commons, its name for all to read).
 */
export type LinkHome = { groupId: string | null; visibility: 'public' | 'group' };

type Hit = { id: string; title: string; type: string; match: string; matchedName: string | null };

async function findEntities(query: string, home: LinkHome): Promise<Item[]> {
  const q = query.trim();
  if (!q) return [];
  let hits: Hit[];
  try {
    const res = await fetch(`/api/search?q=${encodeURIComponent(q.slice(0, 200))}&limit=8`);
    if (!res.ok) return [{ kind: 'problem', message: SEARCH_FAILED_MESSAGE }];
    hits = ((await res.json()) as { items: Hit[] }).items;
  } catch {
    return [{ kind: 'problem', message: UNREACHABLE_MESSAGE }]; // offline: not "Searching…" for ever
  }
  const items: Item[] = hits.map((h) => ({
    kind: 'entity',
    id: h.id,
    title: h.title,
    type: h.type,
    // Found by another of its names: say which (a title that starts with the query is no other name).
    note: h.match === 'alias' && h.matchedName && h.matchedName.toLowerCase() !== h.title.toLowerCase() ? `also “${h.matchedName}”` : null,
  }));
  // A link to something that has no page yet offers to create it.
  if (!hits.some((h) => h.title.toLowerCase() === q.toLowerCase())) {
    for (const type of ENTITY_TYPES) items.push({ kind: 'create', title: q, type, inGroup: home.groupId !== null });
  }
  return items;
}

async function insertLink(editor: Editor, range: Range, item: Item, home: LinkHome): Promise<void> {
  let target = item.kind === 'entity' ? { id: item.id, title: item.title } : null;
  if (item.kind === 'problem') return;
  if (item.kind === 'create') {
    const res = await fetch('/api/entities', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: item.type, title: item.title, ...home }) }).catch(() => null);
    if (!res) return window.alert(UNREACHABLE_MESSAGE);
    if (!res.ok) {
      window.alert(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? 'Could not create the page.');
      return;
    }
    const created = (await res.json()) as { id: string; title: string };
    target = { id: created.id, title: created.title };
  }
  if (!target) return;
  editor
    .chain()
    .focus()
    .insertContentAt(range, [{ type: 'entityLink', attrs: { entityId: target.id, label: target.title } }, { type: 'text', text: ' ' }])
    .run();
}

const LISTBOX_ID = 'entity-link-options';
const optionId = (i: number) => `${LISTBOX_ID}-${i}`;

/** The popup's gap to the `[[` and to the edges of the screen. */
const GAP = 4;
const MARGIN = 8;

/**
 * Puts the popup under the `[[`, moved left as far as it takes to stay on the screen (on a phone
 * the caret is often near its right edge); above it when the list does not fit below and there
 * is more room above (the caret near the bottom of the window, or above a phone's keyboard),
 * as high as that room allows.
 */
function place(el: HTMLElement, caret: DOMRect): void {
  const visible = window.visualViewport;
  const [screenTop, screenBottom] = [visible?.offsetTop ?? 0, (visible?.offsetTop ?? 0) + (visible?.height ?? window.innerHeight)];
  el.style.maxHeight = '';
  const height = el.offsetHeight;
  const below = screenBottom - caret.bottom - GAP - MARGIN;
  const above = caret.top - screenTop - GAP - MARGIN;
  const up = height > below && above > below;
  el.style.maxHeight = `${Math.max(Math.min(height, 96), Math.min(height, up ? above : below))}px`; // a few options at least, on the smallest screens
  const top = up ? caret.top - GAP - el.offsetHeight : caret.bottom + GAP;
  const left = Math.max(MARGIN, Math.min(caret.left, document.documentElement.clientWidth - el.offsetWidth - MARGIN));
  Object.assign(el.style, { left: `${left + window.scrollX}px`, top: `${top + window.scrollY}px` });
}

/**
 * The popup listing matches; plain DOM (text only), positioned under the typed `[[`. Focus stays
 * in the text (the arrow keys move the choice): the editor names the popup and its chosen
 * option (aria-controls, aria-activedescendant), so a screen reader reads the choice.
 */
function createPopup() {
  let el: HTMLDivElement | null = null;
  let props: SuggestionProps<Item> | null = null;
  let selected = 0;

  /** Points the editor at the popup's chosen option, or at nothing once the popup is gone. */
  function describeToEditor() {
    const text = props?.editor.view.dom;
    if (!text) return;
    if (el && props && props.items.length > 0) {
      text.setAttribute('aria-controls', LISTBOX_ID);
      text.setAttribute('aria-activedescendant', optionId(selected));
    } else {
      text.removeAttribute('aria-activedescendant');
      if (!el) text.removeAttribute('aria-controls');
    }
  }

  function draw() {
    if (!el || !props) return;
    el.replaceChildren();
    const problem = props.items.find((item) => item.kind === 'problem');
    if (props.items.length === 0 || problem) {
      const empty = document.createElement('div');
      empty.className = `px-3 py-2 text-sm ${problem ? 'text-red-800' : 'text-muted'}`;
      empty.textContent = problem?.message ?? (props.query ? 'Searching…' : 'Type a name to link a page');
      el.append(empty);
    }
    props.items.forEach((item, i) => {
      if (item.kind === 'problem') return;
      const option = document.createElement('button');
      option.type = 'button';
      option.id = optionId(i);
      option.tabIndex = -1; // chosen with the arrow keys from the text, or the mouse: not a Tab stop
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(i === selected));
      option.className = `block w-full text-left px-3 py-1.5 text-sm ${i === selected ? 'bg-sky-100' : 'hover:bg-wash'}`;
      option.textContent =
        item.kind === 'entity'
          ? `${item.title} · ${TYPE_INFO[item.type as keyof typeof TYPE_INFO]?.label ?? item.type}${item.note ? ` (${item.note})` : ''}`
          : `Create “${item.title}” as a new ${TYPE_INFO[item.type].label.toLowerCase()}${item.inGroup ? ' of this page’s group' : ''}`;
      option.addEventListener('mousedown', (e) => {
        e.preventDefault();
        props?.command(item);
      });
      el!.append(option);
    });
    const rect = props.clientRect?.();
    if (rect) place(el, rect);
    // The chosen option in sight when the list scrolls (arrow keys past its last visible one).
    el.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
    describeToEditor();
  }

  return {
    onStart(p: SuggestionProps<Item>) {
      props = p;
      selected = 0;
      el = document.createElement('div');
      el.id = LISTBOX_ID;
      el.setAttribute('role', 'listbox');
      el.setAttribute('aria-label', 'Link to a page');
      el.className = 'absolute z-50 w-80 max-w-[calc(100vw-1rem)] max-h-72 overflow-y-auto rounded border border-line bg-white shadow-lg';
      document.body.append(el);
      draw();
    },
    onUpdate(p: SuggestionProps<Item>) {
      props = p;
      selected = Math.min(selected, Math.max(0, p.items.length - 1));
      draw();
    },
    onKeyDown({ event }: SuggestionKeyDownProps): boolean {
      if (!props) return false;
      if (event.key === 'ArrowDown') selected = (selected + 1) % Math.max(1, props.items.length);
      else if (event.key === 'ArrowUp') selected = (selected - 1 + props.items.length) % Math.max(1, props.items.length);
      else if (event.key === 'Enter' || event.key === 'Tab') {
        const item = props.items[selected];
        if (!item || item.kind === 'problem') return false;
        props.command(item);
        return true;
      } else if (event.key === 'Escape') {
        el?.remove();
        el = null;
        describeToEditor();
        return true;
      } else return false;
      draw();
      return true;
    },
    onExit() {
      el?.remove();
      el = null;
      describeToEditor();
      props = null;
    },
  };
}

/**
 * Typing `[[` opens an autocomplete of entities (by title or any alias); picking one inserts
 * an entity link, and a name with no page offers to create it. Browser only.
 */
export const EntityLinkSuggestion = Extension.create<{ home: LinkHome }>({
  name: 'entityLinkSuggestion',
  addOptions() {
    return { home: { groupId: null, visibility: 'public' } };
  },
  addProseMirrorPlugins() {
    const { home } = this.options;
    return [
      Suggestion<Item>({
        editor: this.editor,
        pluginKey: new PluginKey('entityLinkSuggestion'),
        char: '[[',
        allowSpaces: true,
        startOfLine: false,
        items: ({ query }) => findEntities(query, home),
        command: ({ editor, range, props }) => void insertLink(editor, range, props, home),
        render: createPopup,
      }),
    ];
  },
});
