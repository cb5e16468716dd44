import type { Actor } from './entity';

/** A group's page and member list are for its members and admins. */
export function canViewGroup(actor: Actor, groupId: string): boolean {
  return Boolean(actor.user?.isAdmin || actor.roles.has(groupId));
}

/** Adding, removing members and changing roles: the group's owners and admins. */
export function canManageGroup(actor: Actor, groupId: string): boolean {
  return Boolean(actor.user?.isAdmin || actor.roles.get(groupId) === 'owner');
}

/** Any member may leave (the last owner may not, or the group would be unmanageable). */
export function canLeaveGroup(actor: Actor, groupId: string, ownerCount: number): boolean {
  const role = actor.roles.get(groupId);
  if (!role) return false;
  return role !== 'owner' || ownerCount > 1;
}
