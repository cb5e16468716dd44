import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { groupMembers, groups, type GroupRole } from '@/db/schema';
import { countOwners, findUserByName, memberRole } from '@/db/queries/groups';
import { ApiError } from '@/server/http/api';
import { announceAuthChange } from '@/server/auth/events';

export const GROUP_NAME_RULES = 'Group names are 2–80 characters.';

/** Creates a group with its creator as owner; 409 when the name is taken. */
export async function createGroup(db: Db, name: string, ownerId: string) {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (clean.length < 2 || clean.length > 80) throw new ApiError('bad_request', GROUP_NAME_RULES);
  const created = await db.transaction(async (tx) => {
    const [group] = await tx.insert(groups).values({ name: clean, nameNorm: clean.toLowerCase(), createdBy: ownerId }).onConflictDoNothing().returning();
    if (!group) throw new ApiError('conflict', `A group called “${clean}” already exists.`);
    await tx.insert(groupMembers).values({ groupId: group.id, userId: ownerId, role: 'owner' });
    return group;
  });
  announceAuthChange({ kind: 'user', id: ownerId }); // a new role, as when a member is added
  return created;
}

/** Adds a user to a group, or changes their role; the last owner cannot be demoted. */
export async function setMember(db: Db, groupId: string, username: string, role: GroupRole) {
  const user = await findUserByName(db, username);
  if (!user) throw new ApiError('not_found', `No user called “${username}”.`);
  const current = await memberRole(db, groupId, user.id);
  if (current === 'owner' && role !== 'owner' && (await countOwners(db, groupId)) <= 1) {
    throw new ApiError('conflict', 'A group needs at least one owner: make someone else owner first.');
  }
  await db.insert(groupMembers).values({ groupId, userId: user.id, role }).onConflictDoUpdate({ target: [groupMembers.groupId, groupMembers.userId], set: { role } });
  announceAuthChange({ kind: 'user', id: user.id });
  return { userId: user.id, username: user.username, role };
}

/** Removes a member (or lets them leave); the last owner cannot go. */
export async function removeMember(db: Db, groupId: string, userId: string) {
  const role = await memberRole(db, groupId, userId);
  if (!role) throw new ApiError('not_found', 'That user is not a member of this group.');
  if (role === 'owner' && (await countOwners(db, groupId)) <= 1) throw new ApiError('conflict', 'The last owner cannot leave: make someone else owner first.');
  await db.delete(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  announceAuthChange({ kind: 'user', id: userId });
}
