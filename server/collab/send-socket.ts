import type { Socket } from 'node:net';

/** Either end of the channel between the web server's process and the collaboration process. */
export type SocketChannel = { send(message: unknown, handle: Socket, callback: (err: Error | null) => void): boolean };

/**
 * Sends an open connection to the process at the other end of `channel`, which goes on reading
 * and writing it; this process's copy is closed once it has gone.
 *
 * This process stops reading first: until the copy is closed, bytes the client sends could
 * land here and be lost. The connection goes without Node's tracking of sockets sent to
 * other processes (with it, `server.close()` polls the other process for its sockets and never
 * finishes once that process has exited); destroying the copy counts it as closed here.
 */
export function sendSocket(channel: SocketChannel, message: unknown, socket: Socket): void {
  const handed = socket as Socket & { server: unknown; _handle?: { readStop?: () => number } };
  handed._handle?.readStop?.();
  handed.server = null;
  channel.send(message, handed, () => handed.destroy());
}
