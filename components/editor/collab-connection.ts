import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** Exponential backoff with full jitter: a random wait up to min(cap, base·2^attempt). */
export function reconnectDelay(attempt: number, baseMs = 250, capMs = 10_000, random = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** Close codes 4400–4499 mean "do not come back" (access revoked, no such page). */
const isTerminal = (code: number) => code >= 4400 && code < 4500;

/**
 * Connects an entity's Y.Doc to `/collab/<entityId>` (same origin, so the session cookie
 * authenticates). Reconnects itself with jittered exponential backoff; edits made while
 * disconnected stay in the doc and are sent when the connection is back.
 */
export function connectEntityDoc(entityId: string, onStatus: (status: ConnectionStatus, detail?: string) => void) {
  const doc = new Y.Doc();
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const provider = new WebsocketProvider(url, entityId, doc, {
    disableBc: true,
    // Every server-side close goes through `closed` below, where we schedule the reconnect.
    shouldReconnect: () => false,
  });
  onStatus('connecting');
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') onStatus('connected');
  });
  provider.on('sync', (synced: boolean) => {
    if (synced) attempt = 0;
  });
  provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
    if (destroyed) return;
    if (isTerminal(code)) return onStatus('closed', reason || 'The server closed the connection.');
    onStatus(navigator.onLine ? 'reconnecting' : 'offline');
    // Coming back, the server sends only what this doc lacks rather than all of it again.
    provider.params = { ...provider.params, sv: stateParam(doc) };
    clearTimeout(timer);
    timer = setTimeout(() => provider.connect(), reconnectDelay(attempt++));
  });
  const goOffline = () => onStatus('offline');
  const goOnline = () => {
    attempt = 0;
    if (!provider.wsconnected) provider.connect();
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);
  return {
    doc,
    provider,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The doc's state vector, base64: the `?sv=` by which the server knows what a reconnecting client has. */
export function stateParam(doc: Y.Doc): string {
  let binary = '';
  for (const byte of Y.encodeStateVector(doc)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A readable, stable colour per user name (for carets and avatars), dark enough for white text. */
export function userColor(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 70% 35%)`;
}
