'use client';

import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type { ConnectionStatus } from './collab-connection';
import { isCaretColor } from '@/components/model/user-color';

type Peer = { clientId: number; name: string; color: string };

/**
 * The person a presence state shows, as it is drawn: the server sets every name and colour
 * (server/collab/presence.ts); a colour is still only ever drawn as #rrggbb. Null for a state
 * with no one in it.
 */
export function presentUser(state: { user?: { name?: unknown; color?: unknown } }): { name: string; color: string } | null {
  if (!state.user?.name) return null;
  return { name: String(state.user.name), color: isCaretColor(state.user.color) ? state.user.color : '#57606a' };
}

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected · changes are saved as you type',
  reconnecting: 'Reconnecting… your changes are kept on this device and will be sent',
  offline: 'Offline · your changes are kept on this device and will be sent when you are back online',
  closed: 'Disconnected',
};

/** The same for someone who may only watch: there is nothing of theirs to save or keep. */
const READ_ONLY_STATUS_TEXT: Record<ConnectionStatus, string> = {
  ...STATUS_TEXT,
  connected: 'Connected · you see changes as others make them',
  reconnecting: 'Reconnecting…',
  offline: 'Offline · the page catches up when you are back online',
};

/**
 * Brings into view where someone is, as clicking a collaborator's picture does in Google Docs:
 * the infobox field they are in, or else their caret in the text (drawn with their name).
 */
function showWhere(state: { field?: unknown } | undefined, name: string): void {
  const field = typeof state?.field === 'string' ? document.getElementById(`field-${state.field}`) : null;
  const label = [...document.querySelectorAll('.collaboration-carets__label')].find((el) => el.textContent === name);
  (field ?? label?.parentElement)?.scrollIntoView({ block: 'center' });
}

/** What the connection's state means for this person's changes (`detail`: why it closed, when it did). */
export function statusText(status: ConnectionStatus, readOnly: boolean, detail?: string): string {
  return `${(readOnly ? READ_ONLY_STATUS_TEXT : STATUS_TEXT)[status]}${detail ? `: ${detail}` : ''}`;
}

/** Who is on the page (from awareness; each other person's picture shows where they are) and the state of the connection. */
export function Presence({ provider, status, detail, readOnly }: { provider: WebsocketProvider; status: ConnectionStatus; detail?: string; readOnly: boolean }) {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    // One picture per person, however many tabs they have the page open in (one's own from this tab).
    const read = () => {
      const byName = new Map<string, Peer>();
      for (const [clientId, state] of provider.awareness.getStates()) {
        const user = presentUser(state);
        if (user && (!byName.has(user.name) || clientId === provider.awareness.clientID)) byName.set(user.name, { clientId, ...user });
      }
      setPeers([...byName.values()]);
    };
    read();
    provider.awareness.on('change', read);
    return () => provider.awareness.off('change', read);
  }, [provider]);
  const dot = status === 'connected' ? 'bg-emerald-600' : status === 'closed' ? 'bg-red-700' : 'bg-amber-500';
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded border border-line bg-white px-3 py-2 text-sm">
      <p role="status" aria-live="polite" className="flex items-center gap-2">
        <span className={`inline-block h-2.5 w-2.5 rounded-full ${dot}`} aria-hidden="true" />
        <span data-testid="connection-status" data-status={status}>{statusText(status, readOnly, detail)}</span>
        {readOnly && <span className="rounded bg-gray-100 px-1.5 text-xs">read-only</span>}
      </p>
      <ul aria-label="People on this page" className="flex -space-x-1">
        {peers.map((p) => {
          const initials = <span aria-hidden="true">{p.name.slice(0, 2).toUpperCase()}</span>;
          return (
            <li key={p.clientId} title={p.name} className="flex h-7 w-7 items-center justify-center rounded-full border-2 border-white text-xs font-semibold text-white" style={{ background: p.color }}>
              {p.clientId === provider.awareness.clientID ? (
                <>
                  {initials}
                  <span className="sr-only">{p.name}</span>
                </>
              ) : (
                <button type="button" onClick={() => showWhere(provider.awareness.getStates().get(p.clientId), p.name)} className="h-full w-full rounded-full" title={`Show where ${p.name} is`}>
                  {initials}
                  <span className="sr-only">Show where {p.name} is</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
