import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ENTITY_TYPES, TYPE_INFO } from '@/components/model/entity-types';
import { loadTypeIndexPage } from '@/server/loaders/type-index';
import { TypeIndex } from '@/components/entity/TypeIndex';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ index: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/people`, `/parties`, `/treaties`, `/events`, `/states`: the index of one entity type. */
function typeOf(index: string) {
  return ENTITY_TYPES.find((t) => TYPE_INFO[t].path === `/${index}`);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const type = typeOf((await params).index);
  return { title: type ? TYPE_INFO[type].plural : 'Not found' };
}

export default async function TypeIndexPage({ params, searchParams }: Props) {
  const type = typeOf((await params).index);
  if (!type) notFound();
  return <TypeIndex type={type} {...await loadTypeIndexPage(type, await searchParams)} />;
}
