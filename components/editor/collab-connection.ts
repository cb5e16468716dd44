import * as Y from 'yjs';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { bytesToBase64, type UnsentEdits } from './unsent-edits';
import { CHANGE_REFUSED_CLOSE, PAGE_FULL_CLOSE, REVOKED_CLOSE, isTerminalClose } from '@/components/model/close-codes';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** Exponential backoff with full jitter: a random wait up to min(cap, base·2^attempt). */
export function reconnectDelay(attempt: number, baseMs = 250, capMs = 10_000, random = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** How long typing while disconnected waits before what is unsent is written to storage again. */
const KEEP_DELAY_MS = 300;

/**
 * Connects an entity's Y.Doc to `/collab/<entityId>` (same origin, so the session cookie
 * authenticates). Reconnects itself with jittered exponential backoff; edits made while
 * disconnected stay in the doc and are sent when the connection is back. With `unsent`, they
 * are also kept in the browser until then, so a reload or a closed tab loses none: the next
 * visit sends them. Where the browser cannot keep them, leaving the page asks first.
 */
export function connectEntityDoc(
  entityId: string,
  onStatus: (status: ConnectionStatus, detail?: string) => void,
  { unsent = null, onReadOnly = () => {} }: { unsent?: UnsentEdits | null; onReadOnly?: () => void } = {},
) {
  const doc = new Y.Doc();
  /** The doc's state vector at the last full sync: the server has at least that. */
  let serverHas: Uint8Array | undefined;
  let synced = false;
  /** Edits made here since the last full sync. */
  let editedSinceSync = false;
  /** Whether the browser kept what the server may lack (false: leaving the page asks first). */
  let keptAll = true;
  /** The server refused a change (the page is full): nothing more is kept to send. */
  let refused = false;
  let keepTimer: ReturnType<typeof setTimeout> | undefined;
  const keepNow = () => {
    clearTimeout(keepTimer);
    keepTimer = undefined;
    if (refused) return;
    if (editedSinceSync && !synced) keptAll = unsent?.keep(Y.encodeStateAsUpdate(doc, serverHas)) ?? false;
  };
  const keepSoon = () => {
    if (keepTimer === undefined) keepTimer = setTimeout(keepNow, KEEP_DELAY_MS);
  };
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const provider = new WebsocketProvider(url, entityId, doc, {
    disableBc: true,
    // Every server-side close goes through `closed` below, where we schedule the reconnect.
    shouldReconnect: () => false,
  });
  /** The server refuses this connection's edits: what is kept was not taken either. */
  let readOnly = false;
  // The server refuses this connection's edits (the page is read-only for this user, or their
  // permission to edit it was withdrawn while it was open): say so, rather than let them type
  // what will not be saved. (It says so before its first sync message.)
  provider.messageHandlers[messageAuth] = (_encoder: unknown, decoder: decoding.Decoder) =>
    authProtocol.readAuthMessage(decoder, doc, () => {
      readOnly = true;
      onReadOnly();
    });
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    editedSinceSync = true;
    if (!synced) keepSoon();
  });
  // Kept from an earlier visit: they go out with this connection's first sync.
  let kept = unsent?.load() ?? null;
  if (kept) Y.applyUpdate(doc, kept, unsent);
  // "Connected" once the page's content has arrived (the first sync), not when the socket opens:
  // the server loads the doc first, and until then there is nothing to show or to type into.
  onStatus('connecting');
  provider.on('sync', (isSynced: boolean) => {
    if (!isSynced) return;
    // The server has answered this connection's first sync, sent after our own edits.
    attempt = 0;
    synced = true;
    serverHas = Y.encodeStateVector(doc);
    editedSinceSync = false;
    keptAll = true;
    clearTimeout(keepTimer);
    keepTimer = undefined;
    if (readOnly) return onStatus('connected'); // what is kept was refused: it stays for a visit that may send it
    unsent?.clear();
    onStatus('connected', kept ? 'what you typed offline on an earlier visit has been sent' : undefined);
    kept = null;
  });
  provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
    if (destroyed) return;
    synced = false;
    const changeRefused = code === PAGE_FULL_CLOSE || code === CHANGE_REFUSED_CLOSE;
    if (changeRefused || code === REVOKED_CLOSE) {
      // Page full, or a change against the content's rules: kept, what was refused would be
      // refused again on every visit. It stays on the page for the user to copy (the reason says
      // it was not saved); leaving the page asks first.
      // Session revoked (signed out, perhaps in another tab, which forgot what was kept): a
      // sign-out leaves nobody's text on the device. Only edits on their way at that moment are lost.
      refused = true;
      if (changeRefused) keptAll = false;
      unsent?.clear();
    }
    keepNow(); // what was typed since the last sync may not have reached the server
    // Access removed: what is kept stays for a visit that may send it.
    if (isTerminalClose(code)) return onStatus('closed', `${reason || 'the server closed the connection'}${code === REVOKED_CLOSE ? '; sign in again to go on editing' : ''}`);
    onStatus(navigator.onLine ? 'reconnecting' : 'offline');
    // Coming back, the server sends only what this doc lacks rather than all of it again.
    provider.params = { ...provider.params, sv: stateParam(doc) };
    clearTimeout(timer);
    timer = setTimeout(() => provider.connect(), reconnectDelay(attempt++));
  });
  const goOffline = () => {
    synced = false; // the socket may not notice for a while: keep what was and is typed
    keepNow();
    onStatus('offline');
  };
  const goOnline = () => {
    attempt = 0;
    if (!provider.wsconnected) provider.connect();
    else if (provider.synced) {
      synced = true; // the socket outlived the outage: what was typed went through it
      onStatus('connected');
    }
  };
  const beforeUnload = (event: BeforeUnloadEvent) => {
    keepNow();
    if (editedSinceSync && !synced && !keptAll) event.preventDefault(); // the browser asks "Leave site?"
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);
  window.addEventListener('beforeunload', beforeUnload);
  window.addEventListener('pagehide', keepNow); // a phone may close the page without asking
  return {
    doc,
    provider,
    destroy() {
      keepNow(); // leaving the page within the site while disconnected
      destroyed = true;
      clearTimeout(timer);
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      window.removeEventListener('beforeunload', beforeUnload);
      window.removeEventListener('pagehide', keepNow);
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The doc's state vector, base64: the `?sv=` by which the server knows what a reconnecting client has. */
export function stateParam(doc: Y.Doc): string {
  return bytesToBase64(Y.encodeStateVector(doc));
}
