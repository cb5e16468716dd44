import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * A binary WebSocket frame holding `message` (RFC 6455 §5.2: FIN, opcode 2, unmasked as a
 * server's frames are). The same bytes can go to every socket.
 */
export function binaryFrame(message: Uint8Array): Buffer {
  const length = message.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(message, header);
  return frame;
}

/**
 * What the collaboration server sends to its sockets. `ws.send` frames a message again for
 * every socket and makes one system call per message; an edit goes to everyone on the page,
 * and a busy server reads several edits at once. Here a message is framed once, and all the
 * frames a socket gets during one turn of the event loop leave in one write (in order):
 * a burst of k edits costs each reader one write instead of k.
 *
 * The frames are written to the socket the `ws` connection was made on, which is safe
 * because `ws` itself writes each of its frames (pings, close) synchronously when it is not
 * compressing: this server turns compression off. Frames for a socket that is closing by the
 * time they leave are dropped, as `ws.send` would refuse them.
 */
export function createOutbox() {
  const sockets = new WeakMap<WebSocket, Duplex>();
  let queued = new Map<WebSocket, Buffer[]>();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = queued;
    queued = new Map();
    for (const [ws, frames] of batch) {
      const socket = sockets.get(ws);
      if (ws.readyState !== ws.OPEN || !socket) continue;
      socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    }
  }

  function queue(ws: WebSocket, frame: Buffer): void {
    const frames = queued.get(ws);
    if (frames) frames.push(frame);
    else queued.set(ws, [frame]);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  }

  return {
    /** Registers the socket a connection was upgraded on. */
    attach(ws: WebSocket, socket: Duplex): void {
      sockets.set(ws, socket);
    },
    send(ws: WebSocket, message: Uint8Array): void {
      queue(ws, binaryFrame(message));
    },
    /** Sends `message` to every socket of `targets` but `except` (the one it came from). */
    broadcast(targets: Iterable<WebSocket>, message: Uint8Array, except?: unknown): void {
      const frame = binaryFrame(message);
      for (const ws of targets) if (ws !== except) queue(ws, frame);
    },
  };
}
