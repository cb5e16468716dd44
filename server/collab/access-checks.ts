import type { ClientSocket } from './websocket';
import type { Db } from '@/db/client';
import type { GroupRole } from '@/db/schema';
import { canEditEntity, canReadEntity } from '@/server/policies/entity';
import type { AuthChange } from '@/server/auth/events';
import { credentialIsValid, refreshViewer, rolesOfUsers, validCredentials, type Viewer } from '@/server/auth/viewer';
import { loadEntityAccess, loadEntityAccessMany, type EntityAccessRow } from './doc-store';
import { NO_ACCESS_CLOSE, REVOKED_CLOSE } from '@/components/model/close-codes';

/** What the checks need of a socket: who it is and whether it may edit (updated in place). */
export type CheckedConn = { viewer: Viewer; canEdit: boolean };
type CheckedRoom = { entityId: string; access: EntityAccessRow; conns: Map<ClientSocket, CheckedConn> };

function sameRoles(a: Map<string, GroupRole>, b: Map<string, GroupRole>): boolean {
  return a.size === b.size && [...a].every(([g, r]) => b.get(g) === r);
}

/**
 * Keeps open sockets within their permissions: after a change announced in this process
 * (revocation, membership, page settings) at once, and by a periodic sweep for changes made
 * by other instances. A socket is closed (REVOKED_CLOSE, NO_ACCESS_CLOSE), made read-only
 * (`deny` tells the client), or left alone.
 */
export function createAccessChecks(db: Db, openRooms: () => Promise<CheckedRoom[]>, deny: (ws: ClientSocket, reason: string) => void) {
  /** Applies new access facts to one socket: close it, make it read-only, or let it go on. */
  function reapply(ws: ClientSocket, conn: CheckedConn, viewer: Viewer, access: EntityAccessRow | null): void {
    if (!access || !canReadEntity(viewer, access)) return void ws.close(NO_ACCESS_CLOSE, 'you no longer have access to this page');
    const canEdit = canEditEntity(viewer, access);
    if (conn.canEdit && !canEdit) deny(ws, 'read-only: your permission to edit this page was withdrawn');
    Object.assign(conn, { viewer, canEdit });
  }

  /** A change announced in this process (revocation, membership, page settings): re-check the sockets it concerns now. */
  async function recheckChange(change: AuthChange): Promise<void> {
    for (const room of await openRooms()) {
      let access: EntityAccessRow | null | undefined;
      for (const [ws, conn] of room.conns) {
        const cred = conn.viewer.credential;
        const concerned =
          (change.kind === 'entity' && change.id === room.entityId) ||
          (change.kind === 'user' && conn.viewer.user?.id === change.id) ||
          ((change.kind === 'session' || change.kind === 'token') && cred?.id === change.id);
        if (!concerned) continue;
        if (cred && !(await credentialIsValid(db, cred))) {
          ws.close(REVOKED_CLOSE, 'your session or token was revoked');
          continue;
        }
        access ??= await loadEntityAccess(db, room.entityId);
        if (access) room.access = access;
        reapply(ws, conn, cred ? await refreshViewer(db, conn.viewer) : conn.viewer, access);
      }
    }
  }

  /**
   * The periodic sweep for changes made by other instances: three queries for all open
   * sockets (credentials still valid, current roles of their users, access of their pages);
   * only sockets whose facts changed are touched.
   */
  async function sweep(): Promise<void> {
    const open = await openRooms();
    const conns = open.flatMap((room) => [...room.conns].map(([ws, conn]) => ({ room, ws, conn })));
    if (conns.length === 0) return;
    const [valid, roles, accessById] = await Promise.all([
      validCredentials(db, conns.flatMap((c) => (c.conn.viewer.credential ? [c.conn.viewer.credential] : []))),
      rolesOfUsers(db, [...new Set(conns.flatMap((c) => (c.conn.viewer.user ? [c.conn.viewer.user.id] : [])))]),
      loadEntityAccessMany(db, open.map((r) => r.entityId)),
    ]);
    for (const { room, ws, conn } of conns) {
      const cred = conn.viewer.credential;
      if (cred && !valid.has(cred.id)) {
        ws.close(REVOKED_CLOSE, 'your session or token was revoked');
        continue;
      }
      const userId = conn.viewer.user?.id;
      const current = userId ? (roles.get(userId) ?? new Map()) : conn.viewer.roles;
      const viewer = sameRoles(current, conn.viewer.roles) ? conn.viewer : { ...conn.viewer, roles: current, groupIds: [...current.keys()] };
      const access = accessById.get(room.entityId) ?? null;
      if (access) room.access = access;
      reapply(ws, conn, viewer, access);
    }
  }

  return { recheckChange, sweep };
}
