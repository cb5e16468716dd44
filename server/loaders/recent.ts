import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { recentChanges } from '@/db/queries/revisions';
import { findUserByName, listGroupsOf } from '@/db/queries/groups';
import { isEntityType } from '@/components/model/entity-types';
import { isUuid } from '@/components/model/ids';
import { currentViewer } from '@/server/auth/request';
import { canViewGroup } from '@/server/policies/group';

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Recent changes across the wiki, filtered by `?type=&group=&user=&before=`. */
export async function loadRecentChanges(searchParams: SearchParams) {
  const db = getDb();
  const viewer = await currentViewer();
  const type = first(searchParams.type);
  const group = first(searchParams.group);
  const username = first(searchParams.user)?.slice(0, 64);
  const user = username ? await findUserByName(db, username) : null;
  const before = first(searchParams.before);
  // A date the database can compare with (years 1–9999); anything else lists the newest changes.
  const asked = before ? new Date(before) : null;
  const beforeDate = asked && asked.getUTCFullYear() >= 1 && asked.getUTCFullYear() <= 9999 ? asked : undefined;
  const groupId = group && isUuid(group) && canViewGroup(viewer, group) ? group : undefined;
  const items = await recentChanges(db, viewer, {
    type: type && isEntityType(type) ? type : undefined,
    groupId,
    userId: username ? (user?.id ?? '00000000-0000-0000-0000-000000000000') : undefined,
    limit: 50,
    before: beforeDate,
  });
  const groups = viewer.user ? await listGroupsOf(db, viewer.user.id) : [];
  return { items, filter: { type, group: groupId, user: username }, groups, unknownUser: Boolean(username && !user) };
}

/** A user's contributions: the revisions they authored or saved. */
export async function loadContributions(username: string) {
  const db = getDb();
  const user = await findUserByName(db, username);
  if (!user) notFound();
  const items = await recentChanges(db, await currentViewer(), { userId: user.id, limit: 100 });
  return { user, items };
}
