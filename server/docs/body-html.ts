import { DOMSerializer, Node } from '@tiptap/pm/model';
import { bodySchema } from '@/components/editor/schema/extensions';
import type { BodyJson } from '@/db/schema';

// ProseMirror's own serializer walks the body through the schema (each node's and mark's
// `renderHTML`, marks nested as the editor nests them). It only needs a document that can make
// elements and text; this one builds plain objects and writes them out as HTML, escaping every
// text and attribute value. A full DOM (happy-dom) did the same at several times the cost.

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

type Child = HtmlElement | { nodeType: 3; text: string };

class HtmlElement {
  readonly nodeType = 1;
  readonly attributes = new Map<string, string>();
  readonly children: Child[] = [];
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  setAttributeNS(_namespace: string, name: string, value: unknown): void {
    this.setAttribute(name, value);
  }
  appendChild<T extends Child>(child: T): T {
    this.children.push(child);
    return child;
  }
}

const htmlDocument = {
  createElement: (tagName: string) => new HtmlElement(tagName),
  createElementNS: (_namespace: string, tagName: string) => new HtmlElement(tagName),
  createTextNode: (text: string) => ({ nodeType: 3 as const, text }),
  createDocumentFragment: () => new HtmlElement(''),
};

const escapeText = (text: string) => text.replace(/[&<>\u00a0]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&nbsp;'));
const escapeAttribute = (value: string) => escapeText(value).replace(/"/g, '&quot;');

function write(children: Child[]): string {
  let html = '';
  for (const child of children) {
    if (child.nodeType === 3) {
      html += escapeText(child.text);
      continue;
    }
    html += `<${child.tagName}`;
    for (const [name, value] of child.attributes) html += ` ${name}="${escapeAttribute(value)}"`;
    html += VOID_ELEMENTS.has(child.tagName) ? '>' : `>${write(child.children)}</${child.tagName}>`;
  }
  return html;
}

/** The body as HTML, through the editor schema's own `renderHTML`; text and attribute values are escaped. */
export function bodyToHtml(body: BodyJson): string {
  const schema = bodySchema();
  const root = htmlDocument.createDocumentFragment();
  DOMSerializer.fromSchema(schema).serializeFragment(Node.fromJSON(schema, body).content, { document: htmlDocument as never }, root as never);
  return write(root.children);
}
