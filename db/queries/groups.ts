import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, groupMembers, groups, users, type GroupRole } from '@/db/schema';

/** The groups a user belongs to, with their role. */
export function listGroupsOf(db: Db, userId: string) {
  return db
    .select({ id: groups.id, name: groups.name, role: groupMembers.role })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(groups.name));
}

export async function findGroup(db: Db, groupId: string) {
  const [group] = await db.select().from(groups).where(eq(groups.id, groupId));
  return group ?? null;
}

/** A group's members with their roles, owners first. */
export function groupMemberList(db: Db, groupId: string) {
  return db
    .select({ userId: users.id, username: users.username, role: groupMembers.role, addedAt: groupMembers.addedAt })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(groupMembers.role), asc(users.usernameNorm));
}

/** The entities a group owns. */
export function groupEntities(db: Db, groupId: string) {
  return db
    .select({ id: entities.id, slug: entities.slug, type: entities.type, title: entities.title, summary: entities.summary, visibility: entities.visibility })
    .from(entities)
    .where(eq(entities.groupId, groupId))
    .orderBy(asc(entities.title));
}

export async function countOwners(db: Db, groupId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.role, 'owner')));
  return Number(row.n);
}

export async function memberRole(db: Db, groupId: string, userId: string): Promise<GroupRole | null> {
  const [row] = await db.select({ role: groupMembers.role }).from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  return row?.role ?? null;
}

export async function findUserByName(db: Db, username: string) {
  const [user] = await db.select({ id: users.id, username: users.username }).from(users).where(eq(users.usernameNorm, username.toLowerCase()));
  return user ?? null;
}
