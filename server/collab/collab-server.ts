import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { Db } from '@/db/client';
import { loadEntityState } from './doc-store';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
/** Frames above this are refused by `ws` with close code 1009 (message too big). */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Room = { doc: Y.Doc; awareness: awarenessProtocol.Awareness; conns: Map<WebSocket, Set<number>> };

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status === 404 ? 'not_found' : 'bad_request', message } });
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

function send(ws: WebSocket, message: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(message, (err) => err && ws.terminate());
}

/**
 * The y-websocket endpoint `/collab/<entityId>`: sync and awareness from `y-protocols`. The
 * document is loaded from Postgres before any client is answered. Until accounts and live
 * persistence exist, every connection is read-only: it receives the document and awareness,
 * and its document updates are refused (it is told so with a permission-denied message).
 */
export function createCollabServer(db: Db) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const rooms = new Map<string, Promise<Room | null>>();

  async function openRoom(entityId: string): Promise<Room | null> {
    const state = await loadEntityState(db, entityId);
    if (!state) return null;
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, state);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null); // the server has no presence of its own
    const room: Room = { doc, awareness, conns: new Map() };
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const ids = room.conns.get(origin as WebSocket);
      if (ids) {
        added.forEach((id) => ids.add(id));
        removed.forEach((id) => ids.delete(id));
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      const message = encoding.toUint8Array(encoder);
      for (const ws of room.conns.keys()) send(ws, message);
    });
    return room;
  }

  function closeRoom(entityId: string, room: Room): void {
    room.awareness.destroy();
    room.doc.destroy();
    rooms.delete(entityId);
  }

  function onMessage(room: Room, ws: WebSocket, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const encoder = encoding.createEncoder();
    const kind = decoding.readVarUint(decoder);
    if (kind === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.readSyncStep1(decoder, encoder, room.doc);
        send(ws, encoding.toUint8Array(encoder));
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        const update = decoding.readVarUint8Array(decoder);
        // A client that has nothing new sends an empty update on sync; that is not an edit.
        if (update.length > 2 || (update.length === 2 && (update[0] !== 0 || update[1] !== 0))) {
          encoding.writeVarUint(encoder, 2); // messageAuth
          authProtocol.writePermissionDenied(encoder, 'read-only: editing is not available on this connection');
          send(ws, encoding.toUint8Array(encoder));
        }
      } else {
        throw new Error(`unknown sync step ${step}`);
      }
    } else if (kind === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
    } else if (kind === MESSAGE_QUERY_AWARENESS) {
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
      send(ws, encoding.toUint8Array(encoder));
    } else {
      throw new Error(`unknown message type ${kind}`);
    }
  }

  function join(entityId: string, room: Room, ws: WebSocket): void {
    room.conns.set(ws, new Set());
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (!isBinary) throw new Error('text frames are not part of the protocol');
        onMessage(room, ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch {
        ws.close(1007, 'malformed message'); // only this socket: the room and its other clients go on
      }
    });
    ws.on('close', () => {
      const ids = room.conns.get(ws);
      room.conns.delete(ws);
      if (ids?.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
      if (room.conns.size === 0) closeRoom(entityId, room);
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, room.doc);
    send(ws, encoding.toUint8Array(encoder));
    const states = [...room.awareness.getStates().keys()];
    if (states.length) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  return {
    /** Handles an HTTP upgrade on `/collab/<entityId>`; anything else is answered 404 without upgrading. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const entityId = decodeURIComponent(path.slice('/collab/'.length));
      if (!UUID.test(entityId)) return rejectUpgrade(socket, 404, 'No such document');
      let loading = rooms.get(entityId);
      if (!loading) {
        loading = openRoom(entityId);
        rooms.set(entityId, loading);
      }
      loading
        .then((room) => {
          if (!room) {
            rooms.delete(entityId);
            return rejectUpgrade(socket, 404, 'No such document');
          }
          wss.handleUpgrade(req, socket, head, (ws) => join(entityId, room, ws));
        })
        .catch(() => {
          rooms.delete(entityId);
          rejectUpgrade(socket, 400, 'Could not load the document');
        });
    },

    /** Number of connected sockets (for health and tests). */
    connectionCount(): number {
      return wss.clients.size;
    },

    /** Closes every socket (1001, going away) and stops accepting. */
    async close(): Promise<void> {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
