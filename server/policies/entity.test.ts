import { describe, expect, it } from 'vitest';
import type { GroupRole } from '@/db/schema';
import { canCreateEntityIn, canEditEntity, canManageEntity, canReadEntity, type Actor } from './entity';
import { canManageGroup } from './group';

const G = 'group-1';
const actor = (role?: GroupRole, isAdmin = false, signedIn = true): Actor => ({
  user: signedIn ? { id: 'u', isAdmin } : null,
  roles: new Map(role ? [[G, role]] : []),
});
const commons = { groupId: null, visibility: 'public', protected: false };
const privateGroup = { groupId: G, visibility: 'group', protected: false };

describe('entity policies', () => {
  it('lets only members and admins read a group-only entity', () => {
    expect(canReadEntity(actor(undefined, false, false), privateGroup)).toBe(false);
    expect(canReadEntity(actor(), privateGroup)).toBe(false);
    expect(canReadEntity(actor('viewer'), privateGroup)).toBe(true);
    expect(canReadEntity(actor(undefined, true), privateGroup)).toBe(true);
  });

  it('lets any account edit the commons, but only admins a protected page', () => {
    expect(canEditEntity(actor(undefined, false, false), commons)).toBe(false);
    expect(canEditEntity(actor(), commons)).toBe(true);
    expect(canEditEntity(actor(), { ...commons, protected: true })).toBe(false);
    expect(canEditEntity(actor(undefined, true), { ...commons, protected: true })).toBe(true);
  });

  it('lets a group’s editors and owners edit its entities, not its viewers', () => {
    expect(canEditEntity(actor('viewer'), privateGroup)).toBe(false);
    expect(canEditEntity(actor('editor'), privateGroup)).toBe(true);
    expect(canManageEntity(actor('editor'), privateGroup)).toBe(false);
    expect(canManageEntity(actor('owner'), privateGroup)).toBe(true);
    expect(canCreateEntityIn(actor('viewer'), G)).toBe(false);
    expect(canCreateEntityIn(actor(), null)).toBe(true);
  });
});

describe('group policies', () => {
  it('lets owners manage a group, not editors', () => {
    expect(canManageGroup(actor('editor'), G)).toBe(false);
    expect(canManageGroup(actor('owner'), G)).toBe(true);
  });
});
