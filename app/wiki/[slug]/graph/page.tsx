import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { requestEntity } from '@/server/loaders/entity-page';
import { entityNeighbourhood } from '@/db/queries/relations';
import { relationLabel } from '@/components/model/predicates';
import { RelationGraph } from '@/components/graph/RelationGraph';
import { currentViewer } from '@/server/auth/request';
import { canReadEntity } from '@/server/policies/entity';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const entity = await requestEntity(decodeURIComponent((await params).slug));
  return { title: entity && canReadEntity(await currentViewer(), entity) ? `${entity.title}: relation graph` : 'Not found' };
}

export default async function GraphPage({ params }: Props) {
  const db = getDb();
  const viewer = await currentViewer();
  const entity = await requestEntity(decodeURIComponent((await params).slug));
  if (!entity || !canReadEntity(viewer, entity)) notFound();
  const graph = await entityNeighbourhood(db, viewer, entity.id, 2, 80);
  const edges = graph.edges.map((e) => ({ from: e.from, to: e.to, label: relationLabel(e.predicate, 'out') }));
  return (
    <div className="space-y-3">
      <h1 className="font-serif text-3xl">
        Relation graph: <Link href={`/wiki/${entity.slug}`}>{entity.title}</Link>
      </h1>
      <p className="text-sm text-muted">
        {graph.nodes.length} entities within two relations of {entity.title}, {edges.length} relations between them.
      </p>
      <RelationGraph centerId={entity.id} nodes={graph.nodes} edges={edges} />
      <details className="bg-white border border-line rounded p-3 text-sm">
        <summary className="cursor-pointer">The same relations as a list</summary>
        <ul className="mt-2 columns-1 sm:columns-2">
          {graph.nodes.filter((n) => n.id !== entity.id).map((n) => (
            <li key={n.id}>
              <Link href={`/wiki/${n.slug}/graph`}>{n.title}</Link> <span className="text-muted">({n.type}, {n.hop === 1 ? 'direct' : 'two steps'})</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
