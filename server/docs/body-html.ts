import { DOMSerializer, Node } from '@tiptap/pm/model';
import { Window } from 'happy-dom';
import { bodySchema } from '@/components/editor/schema/extensions';
import type { BodyJson } from '@/db/schema';

// One script-less DOM for serialising, made once (a Window per call costs milliseconds).
let document: Window['document'] | undefined;
function dom(): Window['document'] {
  document ??= new Window({
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true, disableComputedStyleRendering: true },
  }).document;
  return document;
}

/** The body as HTML, through the editor schema's own `renderHTML` (text is escaped by the DOM). */
export function bodyToHtml(body: BodyJson): string {
  const schema = bodySchema();
  const wrap = dom().createElement('div');
  DOMSerializer.fromSchema(schema).serializeFragment(Node.fromJSON(schema, body).content, { document: dom() as never }, wrap as never);
  return wrap.innerHTML;
}
