import { getDb } from '@/db/client';
import { loadTypeIndex } from '@/db/queries/type-index';
import type { EntityType } from '@/components/model/entity-types';
import { currentViewer } from '@/server/auth/request';

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim().slice(0, 100) || undefined;

/** Reads an index page's filters from its query string and loads the matching entities. */
export async function loadTypeIndexPage(type: EntityType, searchParams: SearchParams) {
  const letter = first(searchParams.letter);
  const filter = { letter: letter && /^[A-Za-z]$/.test(letter) ? letter.toUpperCase() : undefined, q: first(searchParams.q), facet: first(searchParams.facet) };
  return { filter, ...(await loadTypeIndex(getDb(), await currentViewer(), type, filter)) };
}
