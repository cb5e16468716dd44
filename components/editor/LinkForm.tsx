'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { isAllowedHref } from '@/components/editor/schema/rules';

/**
 * The web link of the selection (Ctrl+K or the toolbar's Link), as a bar under the toolbar:
 * the address to set, or the link under the caret to change or remove. With nothing selected
 * the address goes in as linked text. Only http(s), mailto and relative addresses are taken.
 */
export function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const current = editor.getAttributes('link').href as string | undefined;
  const [href, setHref] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  useEffect(() => input.current?.focus(), []);

  function close() {
    onDone();
    editor.commands.focus();
  }

  function remove() {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onDone();
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    const address = href.trim();
    if (!address) return remove();
    if (!isAllowedHref(address)) return setError('Use an address that starts with https://, http:// or mailto:, or a path on this site such as /wiki/…');
    if (editor.state.selection.empty && !editor.isActive('link')) {
      editor.chain().focus().insertContent({ type: 'text', text: address, marks: [{ type: 'link', attrs: { href: address } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href: address }).run();
    }
    onDone();
  }

  const button = 'rounded border border-line px-3 py-1 text-sm';
  return (
    <form
      onSubmit={apply}
      onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), close())}
      aria-label="Web link"
      className="flex flex-wrap items-center gap-2 border-b border-line bg-white px-2 py-2"
    >
      <label className="flex min-w-[14rem] flex-1 items-center gap-2 text-sm">
        <span className="font-medium">Link address</span>
        <input
          ref={input}
          value={href}
          onChange={(e) => (setHref(e.target.value), setError(null))}
          inputMode="url"
          placeholder="https://…"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="flex-1 rounded border border-line px-2 py-1"
        />
      </label>
      <button type="submit" className="rounded bg-accent px-3 py-1 text-sm text-white">Apply</button>
      {current && <button type="button" onClick={remove} className={button}>Remove link</button>}
      <button type="button" onClick={close} className={button}>Cancel</button>
      {error && <p id={errorId} role="alert" className="w-full text-xs text-red-800">{error}</p>}
    </form>
  );
}
