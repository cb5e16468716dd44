import type { WebSocket } from 'ws';

/** How often every socket is pinged; one that has not answered by the next round is dropped. */
export const PING_EVERY_MS = Number(process.env.COLLAB_PING_MS || 30_000);

/**
 * Drops connections whose other end has gone without a word (a laptop closed, a network
 * dropped). TCP notices only after many minutes; until then such a socket keeps its doc
 * loaded, its user's caret stays on everyone's page, and every update is queued for nobody.
 * Every `everyMs` the sockets that did not answer the last round's ping (browsers and `ws`
 * answer by themselves) are terminated, which closes them as a leaving client would, and the
 * others are pinged again. A round that comes late (the process was stopped or busy for longer
 * than a round) drops nobody: the answers may be waiting unread.
 */
export function watchLiveness(sockets: () => Iterable<WebSocket>, everyMs = PING_EVERY_MS): { watch(ws: WebSocket): void; stop(): void } {
  /** Pinged in the last round and not answered yet (weak: a socket that closes meanwhile just goes). */
  const unanswered = new WeakSet<WebSocket>();
  /** The pong listener of every socket: one function, called with the socket as `this`. */
  const answered = function (this: WebSocket): void {
    unanswered.delete(this);
  };
  let lastRound = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - lastRound > 1.5 * everyMs;
    lastRound = now;
    for (const ws of sockets()) {
      if (ws.readyState !== ws.OPEN) continue;
      if (unanswered.has(ws) && !late) {
        unanswered.delete(ws);
        ws.terminate();
        continue;
      }
      unanswered.add(ws);
      ws.ping();
    }
  }, everyMs);
  timer.unref();
  return {
    /** Watches a new connection (call once per socket). */
    watch(ws: WebSocket): void {
      ws.on('pong', answered);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
