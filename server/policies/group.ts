import type { Actor } from './entity';

/** A group's page and member list are for its members and admins. */
export function canViewGroup(actor: Actor, groupId: string): boolean {
  return Boolean(actor.user?.isAdmin || actor.roles.has(groupId));
}

/** Adding, removing members and changing roles: the group's owners and admins. */
export function canManageGroup(actor: Actor, groupId: string): boolean {
  return Boolean(actor.user?.isAdmin || actor.roles.get(groupId) === 'owner');
}
