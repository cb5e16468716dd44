'use client';

import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { Core } from 'cytoscape';

type Node = { id: string; slug: string; title: string; type: string; hop: number };
type Edge = { from: string; to: string; label: string };

const TYPE_COLORS: Record<string, string> = { person: '#0369a1', party: '#be123c', treaty: '#b45309', event: '#047857', state: '#6d28d9' };

/**
 * The neighbourhood of an entity as a graph people can pan, zoom and click through
 * (cytoscape). Selecting a node re-centres the graph on it; "Open page" goes to its article.
 */
export function RelationGraph({ centerId, nodes, edges }: { centerId: string; nodes: Node[]; edges: Edge[] }) {
  const container = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const [selected, setSelected] = useState<Node | null>(null);

  useEffect(() => {
    let cy: Core | undefined;
    let cancelled = false;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || !container.current) return;
      cy = cytoscape({
        container: container.current,
        elements: [
          ...nodes.map((n) => ({ data: { id: n.id, label: n.title, type: n.type, hop: n.hop } })),
          ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, label: e.label } })),
        ],
        style: [
          { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'wrap', 'text-max-width': '120px', width: 16, height: 16, 'background-color': (el: cytoscape.NodeSingular) => TYPE_COLORS[el.data('type')] ?? '#57606a', color: '#1f2328' } },
          { selector: `node[id = "${centerId}"]`, style: { width: 28, height: 28, 'font-weight': 'bold', 'font-size': 13, 'border-width': 3, 'border-color': '#f59e0b' } },
          { selector: 'node[hop = 2]', style: { opacity: 0.8, 'font-size': 9, 'min-zoomed-font-size': 9 } },
          { selector: 'edge', style: { width: 1.2, 'line-color': '#afb8c1', 'target-arrow-color': '#afb8c1', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#57606a', 'text-rotation': 'autorotate', 'text-opacity': 0 } },
          { selector: 'edge:selected, node:selected', style: { 'text-opacity': 1, 'line-color': '#0b5cad', 'border-color': '#0b5cad', 'border-width': 3 } },
        ],
        layout: { name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 600_000, nodeOverlap: 40, idealEdgeLength: () => 110, edgeElasticity: () => 80, gravity: 0.2, numIter: 2500, padding: 30 },
        wheelSensitivity: 0.3,
      });
      cy.on('tap', 'node', (evt) => {
        const node = nodes.find((n) => n.id === evt.target.id());
        if (node) setSelected(node);
      });
      cy.on('dbltap', 'node', (evt) => {
        const node = nodes.find((n) => n.id === evt.target.id());
        if (node) router.push(`/wiki/${node.slug}/graph`);
      });
    });
    return () => {
      cancelled = true;
      cy?.destroy();
    };
  }, [centerId, nodes, edges, router]);

  return (
    <div className="space-y-2">
      <div ref={container} className="h-[70vh] min-h-[360px] w-full bg-white border border-line rounded" data-testid="relation-graph" aria-label="Relation graph" role="img" />
      <div className="flex flex-wrap items-center gap-3 text-sm" aria-live="polite">
        {selected ? (
          <>
            <span>
              Selected: <strong>{selected.title}</strong>
            </span>
            <a href={`/wiki/${selected.slug}`}>Open page</a>
            <a href={`/wiki/${selected.slug}/graph`}>Centre graph here</a>
          </>
        ) : (
          <span className="text-muted">Drag to pan, scroll or pinch to zoom, select a node to see it, double-click to re-centre.</span>
        )}
      </div>
      <ul className="flex flex-wrap gap-3 text-xs text-muted" aria-label="Legend">
        {Object.entries(TYPE_COLORS).map(([type, color]) => (
          <li key={type} className="flex items-center gap-1">
            <span className="inline-block h-3 w-3 rounded-full" style={{ background: color }} aria-hidden="true" />
            {type}
          </li>
        ))}
      </ul>
    </div>
  );
}
