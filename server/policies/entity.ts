import type { GroupRole } from '@/db/schema';

/** What the policies need to know about an entity. */
export type EntityAccess = { groupId: string | null; visibility: 'public' | 'group' | string; protected: boolean };

/** What the policies need to know about who is asking. */
export type Actor = { user: { id: string; isAdmin: boolean } | null; roles: Map<string, GroupRole> };

function roleIn(actor: Actor, groupId: string | null): GroupRole | undefined {
  return groupId ? actor.roles.get(groupId) : undefined;
}

/** Anyone reads public entities; group-only entities are read by the group's members and admins. */
export function canReadEntity(actor: Actor, entity: EntityAccess): boolean {
  if (entity.visibility === 'public') return true;
  return Boolean(actor.user?.isAdmin || roleIn(actor, entity.groupId));
}

/**
 * Editing needs an account. Protected pages: admins only. Commons: any signed-in user.
 * Group entities: the group's editors and owners (and admins).
 */
export function canEditEntity(actor: Actor, entity: EntityAccess): boolean {
  if (!actor.user) return false;
  if (actor.user.isAdmin) return true;
  if (entity.protected) return false;
  if (!entity.groupId) return true;
  const role = roleIn(actor, entity.groupId);
  return role === 'editor' || role === 'owner';
}

/** Changing an entity's group or visibility: the owning group's owners, or admins (for the commons, admins only). */
export function canManageEntity(actor: Actor, entity: EntityAccess): boolean {
  if (!actor.user) return false;
  return actor.user.isAdmin || roleIn(actor, entity.groupId) === 'owner';
}

/** Protecting a page (edits limited to admins) is for admins. */
export function canProtectEntity(actor: Actor): boolean {
  return Boolean(actor.user?.isAdmin);
}

/** Creating an entity in the commons needs an account; in a group, an editor or owner role there. */
export function canCreateEntityIn(actor: Actor, groupId: string | null): boolean {
  if (!actor.user) return false;
  if (!groupId || actor.user.isAdmin) return true;
  const role = roleIn(actor, groupId);
  return role === 'editor' || role === 'owner';
}
