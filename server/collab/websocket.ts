import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { UpgradeRequest } from './registry';
import { keepErrorsToConnection, rejectUpgrade } from './reject-upgrade';

/** Open; closing (this side sent its close frame and reads on for the client's); ended (nothing more is read); closed (the socket is gone). */
const OPEN = 0;
const CLOSING = 1;
const ENDED = 2;
const CLOSED = 3;
type State = typeof OPEN | typeof CLOSING | typeof ENDED | typeof CLOSED;

/** How long a closing connection waits for the client's own close frame before dropping the socket (as `ws` does). */
export const CLOSE_TIMEOUT_MS = 30_000;

const OPCODE_CONTINUATION = 0;
const OPCODE_BINARY = 2;
const OPCODE_CLOSE = 8;
const OPCODE_PING = 9;
const OPCODE_PONG = 10;

/**
 * The server's end of a client's WebSocket connection (RFC 6455), as much of the protocol as
 * the collaboration server speaks: messages of at most `maxPayload` bytes, in one frame or
 * fragmented; pings and pongs; the closing handshake. No extensions (so no compression).
 *
 * Made for many connections: one plain object each, and socket listeners shared by all of
 * them. `ws`, which this replaces, gave each connection an event emitter, a writable stream
 * that parses frames and a sender: 1.8 KiB more heap per connection, measured, about a third of
 * what a loaded doc with three clients keeps.
 *
 * The outbox writes messages to `socket` itself (`frame` below); what this class writes (pongs,
 * pings, close frames) is written at once, so all of it leaves in order.
 */
export class ClientSocket {
  /** Called with each whole message; `binary` is false for a text message. */
  onMessage: ((this: ClientSocket, data: Buffer, binary: boolean) => void) | null = null;
  /** Called once, when the connection is gone (its socket closed, whoever began). */
  onClose: ((this: ClientSocket) => void) | null = null;
  /** Called when the client answers a ping. */
  onPong: ((this: ClientSocket) => void) | null = null;

  private state: State = OPEN;
  /** Bytes received that do not make a whole frame yet, and how many from their start make one (or its header). */
  private partial: Buffer[] | null = null;
  private partialBytes = 0;
  private needed = 0;
  /** A fragmented message so far: its opcode and fragments. */
  private fragments: Buffer[] | null = null;
  private fragmentsOpcode = 0;
  private fragmentsBytes = 0;
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: Duplex,
    private readonly maxPayload: number,
  ) {}

  /** Messages may be sent: neither side has begun to close. */
  get open(): boolean {
    return this.state === OPEN;
  }

  /** Begins the closing handshake; the socket is dropped if the client has not closed it within CLOSE_TIMEOUT_MS. */
  close(code: number, reason = ''): void {
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    this.socket.write(closeFrame(code, reason));
    this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
    this.closeTimer.unref();
  }

  /** Drops the connection at once, without a closing handshake (the client sees 1006). */
  terminate(): void {
    this.state = CLOSED;
    this.socket.destroy();
  }

  ping(): void {
    if (this.state === OPEN) this.socket.write(EMPTY_PING);
  }

  /** Takes bytes read from the socket: every whole frame among them is handled, in order. */
  receive(chunk: Buffer): void {
    if (this.state >= ENDED) return;
    let bytes = chunk;
    if (this.partial) {
      this.partial.push(chunk);
      this.partialBytes += chunk.length;
      if (this.partialBytes < this.needed) return; // a long message, a piece at a time: joined once whole
      bytes = Buffer.concat(this.partial, this.partialBytes);
      this.partial = null;
    }
    let at = 0;
    for (;;) {
      const step = this.frameAt(bytes, at);
      if (step > 0) {
        at += step;
        continue;
      }
      if (step < 0) {
        this.partial = [bytes.subarray(at)];
        this.partialBytes = bytes.length - at;
        this.needed = -step;
      }
      return;
    }
  }

  /** The socket closed. */
  closed(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.state = CLOSED;
    this.partial = this.fragments = null;
    this.onClose?.();
  }

  /**
   * Handles the frame at `bytes[at]`. Returns its size when it was whole; minus the bytes from
   * `at` it (or its header) needs when they have not all come; 0 when nothing is left to read,
   * or the connection failed or is closing.
   */
  private frameAt(bytes: Buffer, at: number): number {
    if (this.state >= ENDED) return 0; // after the client's close frame (or a failure) nothing more is read
    const available = bytes.length - at;
    if (available === 0) return 0;
    if (available < 2) return -2;
    const first = bytes[at];
    const second = bytes[at + 1];
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if (first & 0x70) return this.fail(1002, 'reserved bits set');
    if (!(second & 0x80)) return this.fail(1002, 'a client frame must be masked');
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (available < 4) return -4;
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (available < 10) return -10;
      if (bytes.readUInt32BE(at + 2) !== 0) return this.fail(1009, 'message too big');
      length = bytes.readUInt32BE(at + 6);
      header = 10;
    }
    if (opcode >= OPCODE_CLOSE) {
      if (opcode > OPCODE_PONG) return this.fail(1002, 'unknown opcode');
      if (!fin || length > 125) return this.fail(1002, 'a control frame must be whole and short');
    } else {
      if (opcode > OPCODE_BINARY) return this.fail(1002, 'unknown opcode');
      if ((opcode === OPCODE_CONTINUATION) !== (this.fragments !== null)) return this.fail(1002, 'unexpected continuation');
      // Refused on its header: a message too big is never held.
      if (this.fragmentsBytes + length > this.maxPayload) return this.fail(1009, 'message too big');
    }
    const size = header + 4 + length;
    if (available < size) return -size;
    const payload = unmask(bytes, at + header, length);
    if (opcode >= OPCODE_CLOSE) this.control(opcode, payload);
    else this.data(fin, opcode, payload);
    return size;
  }

  private data(fin: boolean, opcode: number, payload: Buffer): void {
    if (this.state !== OPEN) return; // sent after this side closed: dropped (RFC 6455 1.4)
    if (opcode !== OPCODE_CONTINUATION && fin) return this.onMessage?.(payload, opcode === OPCODE_BINARY);
    if (opcode !== OPCODE_CONTINUATION) {
      this.fragments = [];
      this.fragmentsOpcode = opcode;
    }
    this.fragments!.push(payload);
    this.fragmentsBytes += payload.length;
    if (!fin) return;
    const message = Buffer.concat(this.fragments!, this.fragmentsBytes);
    this.fragments = null;
    this.fragmentsBytes = 0;
    this.onMessage?.(message, this.fragmentsOpcode === OPCODE_BINARY);
  }

  private control(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_PING) {
      if (this.state === OPEN) this.socket.write(frame(OPCODE_PONG, payload));
    } else if (opcode === OPCODE_PONG) {
      this.onPong?.();
    } else if (this.state === CLOSING) {
      this.state = ENDED; // the answer to this side's close frame: the handshake is done
      this.socket.end();
    } else {
      // The client closes: answer with its code (none if it gave none, 1002 if its frame is malformed) and end.
      const code = payload.length === 0 ? null : payload.length === 1 || !validCloseCode(payload.readUInt16BE(0)) ? 1002 : payload.readUInt16BE(0);
      this.state = ENDED;
      this.socket.end(code === null ? frame(OPCODE_CLOSE, EMPTY) : closeFrame(code, ''));
    }
  }

  /** Fails the connection (RFC 6455 7.1.7): a close frame with `code`, then the socket ends. */
  private fail(code: number, reason: string): 0 {
    if (this.state === OPEN) this.socket.end(closeFrame(code, reason));
    else this.socket.end(); // its close frame went already
    this.state = ENDED;
    this.partial = this.fragments = null;
    if (!this.closeTimer) {
      this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
      this.closeTimer.unref();
    }
    return 0;
  }
}

/**
 * Completes the opening handshake of an upgrade request (RFC 6455 4.2.2) and hands the
 * connection to `opened`, which sets its listeners; then the bytes read past the request
 * (`head`, the client's first frames) are taken. A request that is not a WebSocket handshake
 * this server takes is answered with an HTTP 400; a socket the client has left already is
 * destroyed. Either way `opened` is not called.
 */
export function acceptWebSocket(req: UpgradeRequest, socket: Duplex, head: Buffer, maxPayload: number, opened: (ws: ClientSocket) => void): void {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key) || (version !== '13' && version !== '8')) {
    return rejectUpgrade(socket, 400, 'Not a WebSocket handshake this server takes (RFC 6455, version 13)');
  }
  if (!socket.readable || !socket.writable) return void socket.destroy();
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  // A client that asked for subprotocols must get one back or it fails the connection: the first it named.
  const protocol = req.headers['sec-websocket-protocol']?.split(',')[0].trim();
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`);
  const ws = new ClientSocket(socket, maxPayload);
  const held = socket as Duplex & { [CLIENT]?: ClientSocket; setNoDelay?: (on: boolean) => void; setTimeout?: (ms: number) => void };
  held[CLIENT] = ws;
  held.setNoDelay?.(true);
  held.setTimeout?.(0);
  socket.on('data', onSocketData);
  socket.on('end', onSocketEnd);
  socket.on('close', onSocketClose);
  // The connection destroys the socket on an error from now on: the upgrade's own listener goes
  // (two would cost every connection an array of listeners).
  keepErrorsToConnection(socket);
  socket.on('error', onSocketError);
  opened(ws);
  if (head.length) ws.receive(head);
}

const CLIENT = Symbol('client socket');
type Held = Duplex & { [CLIENT]: ClientSocket };

// One listener of each kind for every socket, the connection found on the socket.
function onSocketData(this: Held, chunk: Buffer): void {
  this[CLIENT].receive(chunk);
}
function onSocketEnd(this: Held): void {
  this.end(); // the client ended without a close frame: so do we
}
function onSocketClose(this: Held): void {
  this[CLIENT].closed();
}
function onSocketError(this: Held): void {
  this.destroy(); // 'close' follows
}

/** Unmasks (in place) the payload of the frame whose header ends at `start`, its 4-byte mask first. */
function unmask(bytes: Buffer, start: number, length: number): Buffer {
  const payload = bytes.subarray(start + 4, start + 4 + length);
  const m0 = bytes[start];
  const m1 = bytes[start + 1];
  const m2 = bytes[start + 2];
  const m3 = bytes[start + 3];
  for (let i = 0; i < length; i += 4) {
    payload[i] ^= m0;
    if (i + 1 < length) payload[i + 1] ^= m1;
    if (i + 2 < length) payload[i + 2] ^= m2;
    if (i + 3 < length) payload[i + 3] ^= m3;
  }
  return payload;
}

/** Close codes a peer may send (RFC 6455 7.4.1 and the IANA registry; 4000–4999 for applications). */
function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

const EMPTY = Buffer.alloc(0);
const EMPTY_PING = frame(OPCODE_PING, EMPTY);

/** A close frame; `reason` is cut to the 123 bytes a control frame has room for, between characters. */
function closeFrame(code: number, reason: string): Buffer {
  let text = reason;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  const payload = Buffer.allocUnsafe(2 + Buffer.byteLength(text));
  payload.writeUInt16BE(code, 0);
  payload.write(text, 2);
  return frame(OPCODE_CLOSE, payload);
}

/**
 * A frame holding `message` (RFC 6455 5.2: FIN, unmasked as a server's frames are); binary unless
 * another opcode is given. The same bytes can go to every socket.
 */
export function frame(opcode: number, message: Uint8Array): Buffer {
  const length = message.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const bytes = Buffer.allocUnsafe(header + length);
  bytes[0] = 0x80 | opcode;
  if (length < 126) {
    bytes[1] = length;
  } else if (length < 65_536) {
    bytes[1] = 126;
    bytes.writeUInt16BE(length, 2);
  } else {
    bytes[1] = 127;
    bytes.writeBigUInt64BE(BigInt(length), 2);
  }
  bytes.set(message, header);
  return bytes;
}

/** A binary frame holding `message`. */
export function binaryFrame(message: Uint8Array): Buffer {
  return frame(OPCODE_BINARY, message);
}
