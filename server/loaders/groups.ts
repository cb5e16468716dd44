import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { findGroup, groupEntities, groupMemberList, listGroupsOf } from '@/db/queries/groups';
import { isUuid } from '@/components/model/ids';
import { canManageGroup, canViewGroup } from '@/server/policies/group';
import { requireSignedIn } from './account';

/** The signed-in user's groups. */
export async function loadGroupsPage() {
  const { user } = await requireSignedIn('/groups');
  return { groups: await listGroupsOf(getDb(), user.id) };
}

/** One group's page: 404 to anyone who is not a member (or admin). */
export async function loadGroupPage(groupId: string) {
  const { viewer, user } = await requireSignedIn(`/groups/${groupId}`);
  if (!isUuid(groupId) || !canViewGroup(viewer, groupId)) notFound();
  const db = getDb();
  const group = await findGroup(db, groupId);
  if (!group) notFound();
  const [members, entities] = await Promise.all([groupMemberList(db, groupId), groupEntities(db, groupId)]);
  return { group, members, entities, canManage: canManageGroup(viewer, groupId), me: user.username, myRole: viewer.roles.get(groupId) ?? null };
}
