import { binaryFrame, type ClientSocket } from './websocket';

/**
 * What the collaboration server sends to its sockets. An edit goes to everyone on the page, and
 * a busy server reads several edits at once: a message is framed once for all of them, and all
 * the frames a socket gets during one turn of the event loop leave in one write (in order), so a
 * burst of k edits costs each reader one system call instead of k. Frames for a connection that
 * is closing by the time they leave are dropped.
 */
export function createOutbox() {
  let queued = new Map<ClientSocket, Buffer[]>();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = queued;
    queued = new Map();
    for (const [ws, frames] of batch) {
      if (ws.open) ws.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    }
  }

  function queue(ws: ClientSocket, frame: Buffer): void {
    const frames = queued.get(ws);
    if (frames) frames.push(frame);
    else queued.set(ws, [frame]);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  }

  return {
    send(ws: ClientSocket, message: Uint8Array): void {
      queue(ws, binaryFrame(message));
    },
    /** Sends `message` to every socket of `targets` but `except` (the one it came from). */
    broadcast(targets: Iterable<ClientSocket>, message: Uint8Array, except?: unknown): void {
      const frame = binaryFrame(message);
      for (const ws of targets) if (ws !== except) queue(ws, frame);
    },
  };
}
