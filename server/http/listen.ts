import { lookup } from 'node:dns/promises';
import * as net from 'node:net';
import type { Server } from 'node:http';
import { getSystemErrorName } from 'node:util';
import { StartupError } from '@/db/startup-error';

/** What an error code from binding or listening on the port (`EADDRINUSE`…) means for whoever starts the server. */
export function portError(port: number, code: string | undefined): Error {
  if (code === 'EADDRINUSE') return new StartupError(`Port ${port} is already in use; stop the other process or set PORT to another port.`);
  if (code === 'EACCES') return new StartupError(`Not allowed to listen on port ${port}; choose a port above 1023 with PORT.`);
  return new Error(`could not listen on port ${port}: ${code}`);
}

/** Starts `server` listening on the port; a port in use or not allowed is a StartupError that says what to do. */
export function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(err.code ? portError(port, err.code) : err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A TCP handle bound to an address, to be listened on in another process (child_process sends it with a message). */
export type BoundPort = { readonly port: number; readonly handle: object; close(): void };

type TcpHandle = { getsockname(out: { port?: number }): number; close(): void };
// What `server.listen(port, host)` binds with (the same defaults: both IPv6 and IPv4 without a
// host); Node's cluster module shares ports with it. Not a documented API: checked below.
const createServerHandle = (net as unknown as { _createServerHandle?: (address: string | null, port: number, addressType?: number) => TcpHandle | number })._createServerHandle;

/**
 * Binds the port without listening on it, so that another process can accept its connections:
 * that process listens on the handle it is sent, and this one never accepts. While this
 * process keeps the handle open, the port stays open and connections wait in the kernel's
 * queue, also between one listening process and the next.
 */
export async function bindPort(port: number, host: string | undefined): Promise<BoundPort> {
  if (typeof createServerHandle !== 'function') {
    throw new StartupError(`This Node.js (${process.versions.node}) cannot share a port between processes; set COLLAB_PROCESS=0.`);
  }
  const address = host ? await lookup(host) : null;
  const handle = createServerHandle(address?.address ?? null, port, address?.family);
  if (typeof handle === 'number') throw portError(port, getSystemErrorName(handle));
  // libuv keeps a port in use (EADDRINUSE) for `listen` to report; the socket is left unbound.
  const bound: { port?: number } = {};
  handle.getsockname(bound);
  if (!bound.port || (port !== 0 && bound.port !== port)) {
    handle.close();
    throw portError(port, 'EADDRINUSE');
  }
  return { port: bound.port, handle, close: () => handle.close() };
}
