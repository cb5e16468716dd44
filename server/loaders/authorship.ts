import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { entityCardsByIds } from '@/db/queries/entities';
import { ApiError } from '@/server/http/api';
import { loadAuthorship } from '@/server/presenters/authorship';
import { readablePageEntity } from './entity-page';

/** Who wrote what is on an entity's page now (its authorship page). */
export async function loadAuthorshipPage(slug: string) {
  const db = getDb();
  const { viewer, entity } = await readablePageEntity(slug);
  let authorship;
  try {
    authorship = await loadAuthorship(db, entity.id);
  } catch (err) {
    // Live editing is restarting (its own process): the page says so rather than failing.
    if (err instanceof ApiError && err.code === 'unavailable') return { entity, authorship: null, unavailable: err.message, targets: {} };
    throw err;
  }
  if (!authorship) notFound();
  const cards = await entityCardsByIds(db, viewer, [...new Set(authorship.statements.map((s) => s.targetEntityId))]);
  return { entity, authorship, unavailable: null, targets: Object.fromEntries(cards.map((c) => [c.id, { slug: c.slug, title: c.title }])) };
}
