import Link from 'next/link';
import type { ReactNode } from 'react';
import { isAllowedHref } from '@/components/editor/schema/rules';
import { headingLevel } from './outline';

export type DocNode = { type: string; attrs?: Record<string, unknown>; content?: DocNode[]; text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] };

type Context = {
  /** Entity id → where its page is and what it is called now. */
  entities: Record<string, { slug: string; title: string }>;
  /** `sourceId:start:end` → reference number. */
  refNumbers: Record<string, number>;
};

type Sections = {
  /** Each top-level heading's anchor (outline.ts). */
  anchors: Map<DocNode, string>;
  /** Shown before the first heading, after the lead: the table of contents. */
  contents: ReactNode;
};

export function citationKey(c: { sourceId: unknown; start: unknown; end: unknown }): string {
  return `${c.sourceId}:${c.start}:${c.end}`;
}

function withMarks(text: ReactNode, marks: DocNode['marks'], key: string): ReactNode {
  return (marks ?? []).reduce<ReactNode>((inner, mark) => {
    switch (mark.type) {
      case 'bold':
        return <strong key={key}>{inner}</strong>;
      case 'italic':
        return <em key={key}>{inner}</em>;
      case 'strike':
        return <s key={key}>{inner}</s>;
      case 'underline':
        return <u key={key}>{inner}</u>;
      case 'code':
        return <code key={key}>{inner}</code>;
      case 'link': {
        const href = String(mark.attrs?.href ?? '');
        return isAllowedHref(href) ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow">
            {inner}
          </a>
        ) : (
          inner
        );
      }
      default:
        return inner;
    }
  }, text);
}

/** A table cell's merged columns and rows, as the editor shows them: whole numbers from 2 to 1000, else none. */
function spans(node: DocNode): { colSpan?: number; rowSpan?: number } {
  const span = (value: unknown) => (Number.isInteger(value) && (value as number) > 1 && (value as number) <= 1000 ? (value as number) : undefined);
  return { colSpan: span(node.attrs?.colspan), rowSpan: span(node.attrs?.rowspan) };
}

function renderNode(node: DocNode, ctx: Context & Partial<Sections>, key: string): ReactNode {
  const children = () => (node.content ?? []).map((child, i) => renderNode(child, ctx, `${key}.${i}`));
  switch (node.type) {
    case 'doc': {
      const blocks = children();
      const first = (node.content ?? []).findIndex((child) => child.type === 'heading');
      if (ctx.contents && first >= 0) blocks.splice(first, 0, ctx.contents);
      return <>{blocks}</>;
    }
    case 'paragraph':
      return <p key={key}>{children()}</p>;
    case 'heading': {
      const Tag = `h${headingLevel(node)}` as const;
      return (
        <Tag key={key} id={ctx.anchors?.get(node)}>
          {children()}
        </Tag>
      );
    }
    case 'bulletList':
      return <ul key={key}>{children()}</ul>;
    case 'orderedList':
      return <ol key={key}>{children()}</ol>;
    case 'listItem':
      return <li key={key}>{children()}</li>;
    case 'blockquote':
      return <blockquote key={key}>{children()}</blockquote>;
    case 'horizontalRule':
      return <hr key={key} />;
    case 'hardBreak':
      return <br key={key} />;
    case 'table':
      return (
        <table key={key}>
          <tbody>{children()}</tbody>
        </table>
      );
    case 'tableRow':
      return <tr key={key}>{children()}</tr>;
    case 'tableHeader':
      return <th key={key} {...spans(node)}>{children()}</th>;
    case 'tableCell':
      return <td key={key} {...spans(node)}>{children()}</td>;
    case 'text':
      return withMarks(node.text ?? '', node.marks, key);
    case 'entityLink': {
      const target = ctx.entities[String(node.attrs?.entityId ?? '')];
      const label = String(node.attrs?.label || target?.title || 'unknown entity');
      return target ? (
        <Link key={key} href={`/wiki/${target.slug}`} className="entity-link">
          {label}
        </Link>
      ) : (
        <span key={key} className="text-red-800" title="This entity no longer exists">
          {label}
        </span>
      );
    }
    case 'citation': {
      const n = ctx.refNumbers[citationKey(node.attrs as { sourceId: string; start: number; end: number })];
      return n ? (
        <sup key={key} id={`cite-ref-${n}`}>
          <a href={`#ref-${n}`} aria-label={`Reference ${n}`}>
            [{n}]
          </a>
        </sup>
      ) : null;
    }
    default:
      // Unknown node types are dropped rather than guessed at: content renders only through the schema.
      return null;
  }
}

/** An entity body (ProseMirror JSON of the shared schema) as React elements; never raw HTML. */
export function DocBody({ doc, entities, refNumbers, anchors, contents }: { doc: DocNode } & Context & Partial<Sections>) {
  return <div className="doc-body font-serif text-[1.075rem]">{renderNode(doc, { entities, refNumbers, anchors, contents }, 'b')}</div>;
}
