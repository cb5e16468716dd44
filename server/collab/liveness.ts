import type { ClientSocket } from './websocket';

/** How often each socket is pinged; one that has not answered by its next ping is dropped. */
export const PING_EVERY_MS = Number(process.env.COLLAB_PING_MS || 30_000);
/**
 * The sockets are pinged a slice at a time, one slice every PING_EVERY_MS / SLICES: a round of
 * all of them at once (a system call each, ~5 µs) would hold up the edits of the moment by
 * milliseconds once there are a thousand sockets.
 */
const SLICES = 30;

export type LivenessOptions = {
  /** @default PING_EVERY_MS */
  everyMs?: number;
  /** @default 30 */
  slices?: number;
};

/**
 * Drops connections whose other end has gone without a word (a laptop closed, a network
 * dropped). TCP notices only after many minutes; until then such a socket keeps its doc
 * loaded, its user's caret stays on everyone's page, and every update is queued for nobody.
 * Each socket is pinged every `everyMs` (browsers and Node's WebSocket clients answer by
 * themselves); one that has not answered its last ping by the next is terminated, which closes
 * it as a leaving client would. A turn that comes late (the process was stopped or busy for longer than a
 * turn) drops nobody: answers may be waiting unread.
 */
export function watchLiveness(sockets: () => Iterable<ClientSocket>, { everyMs = PING_EVERY_MS, slices = SLICES }: LivenessOptions = {}) {
  const turnMs = everyMs / slices;
  /** Each watched socket's slice: sockets are dealt to the slices in turn as they connect. */
  const sliceOf = new WeakMap<ClientSocket, number>();
  /** Pinged and not answered yet (weak: a socket that closes meanwhile just goes). */
  const unanswered = new WeakSet<ClientSocket>();
  /** The pong listener of every socket: one function, called with the socket as `this`. */
  const answered = function (this: ClientSocket): void {
    unanswered.delete(this);
  };
  let dealt = 0;
  let turn = 0;
  let lastTurn = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - lastTurn > 1.5 * turnMs;
    lastTurn = now;
    const slice = turn++ % slices;
    for (const ws of sockets()) {
      if (sliceOf.get(ws) !== slice || !ws.open) continue;
      if (unanswered.has(ws) && !late) {
        unanswered.delete(ws);
        ws.terminate();
        continue;
      }
      unanswered.add(ws);
      ws.ping();
    }
  }, turnMs);
  timer.unref();
  return {
    /** Watches a new connection (call once per socket). */
    watch(ws: ClientSocket): void {
      sliceOf.set(ws, dealt++ % slices);
      ws.onPong = answered;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
