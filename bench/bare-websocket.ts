// A WebSocket client on a bare TCP socket, for the benches' readers: the time a reader takes
// to see a message is then Node's read callback and a frame header, not the `ws` library's
// stream machinery (~17 µs a message in `ws`, paid one reader after another in the bench's
// one process).
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export type BareWebSocketEvents = {
  /** A whole binary or text message; `data` is only valid during the call. `at` is `performance.now()` when it was read. */
  message(data: Buffer, at: number): void;
  /** The server accepted the upgrade. */
  open(): void;
  /** Called once: the server's close code and reason, or 1006 when the connection ended without one. */
  close(code: number, reason: string): void;
};

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const READ_BUFFER_BYTES = 16 * 1024;

/** A masked client frame (RFC 6455 §5.3: every frame a client sends is masked). */
function clientFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, header);
  for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/**
 * Opens `url` (ws://) and reads the server's frames in place from one reused buffer
 * (`net.Socket`'s `onread`). Answers pings, answers and reports a close; a fragmented or
 * masked frame from the server ends the connection (close 1002): the servers under test send
 * neither. The server's handshake answer is checked for its status only.
 */
export function openBareWebSocket(url: string, on: BareWebSocketEvents) {
  const { hostname, port, pathname, search } = new URL(url);
  let open = false;
  let closed = false;
  let handshake = '';
  let pending: Buffer | null = null; // the start of a frame the last read ended in

  const socket = connect({ host: hostname, port: Number(port), noDelay: true, onread: { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: onRead } }, () => {
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  socket.on('error', () => {}); // 'close' follows
  socket.on('close', () => end(1006, ''));

  function end(code: number, reason: string): void {
    if (closed) return;
    closed = true;
    socket.destroy();
    on.close(code, reason);
  }

  function onRead(nread: number, buffer: Buffer): boolean {
    const at = performance.now();
    let bytes = buffer.subarray(0, nread);
    if (!open) {
      handshake += bytes.toString('latin1');
      const headerEnd = handshake.indexOf('\r\n\r\n');
      if (headerEnd < 0) return true;
      const status = handshake.slice(0, handshake.indexOf('\r\n'));
      if (!/^HTTP\/1\.1 101 /.test(status)) {
        end(1006, status);
        return false;
      }
      open = true;
      on.open();
      bytes = Buffer.from(handshake.slice(headerEnd + 4), 'latin1');
      handshake = '';
    }
    if (pending) {
      bytes = Buffer.concat([pending, bytes]);
      pending = null;
    }
    let offset = 0;
    while (!closed) {
      const frame = frameAt(bytes, offset);
      if (!frame) break;
      offset = frame.end;
      handleFrame(frame.fin, frame.opcode, bytes.subarray(frame.start, frame.end), frame.masked, at);
    }
    if (offset < bytes.length && !closed) pending = Buffer.from(bytes.subarray(offset));
    return true;
  }

  function handleFrame(fin: boolean, opcode: number, payload: Buffer, masked: boolean, at: number): void {
    if (masked || !fin || opcode === OPCODE_CONTINUATION) return end(1002, 'fragmented or masked frame from the server');
    if (opcode === OPCODE_BINARY || opcode === OPCODE_TEXT) return on.message(payload, at);
    if (opcode === OPCODE_PING) return void socket.write(clientFrame(OPCODE_PONG, payload));
    if (opcode === OPCODE_CLOSE) {
      socket.write(clientFrame(OPCODE_CLOSE, payload.subarray(0, 2)));
      return end(payload.length >= 2 ? payload.readUInt16BE(0) : 1005, payload.subarray(2).toString('utf8'));
    }
  }

  return {
    /** Sends a binary message (dropped unless open). */
    send(message: Uint8Array): void {
      if (open && !closed) socket.write(clientFrame(OPCODE_BINARY, message));
    },
    /** Ends the connection at once, with no close handshake. */
    terminate(): void {
      closed = true;
      socket.destroy();
    },
  };
}

/** The frame starting at `offset` of `bytes`, if all of it is there. */
function frameAt(bytes: Buffer, offset: number): { fin: boolean; opcode: number; masked: boolean; start: number; end: number } | null {
  if (bytes.length - offset < 2) return null;
  const fin = (bytes[offset] & 0x80) !== 0;
  const opcode = bytes[offset] & 0x0f;
  const masked = (bytes[offset + 1] & 0x80) !== 0;
  let length = bytes[offset + 1] & 0x7f;
  let start = offset + 2;
  if (length === 126) {
    if (bytes.length < start + 2) return null;
    length = bytes.readUInt16BE(start);
    start += 2;
  } else if (length === 127) {
    if (bytes.length < start + 8) return null;
    length = Number(bytes.readBigUInt64BE(start));
    start += 8;
  }
  if (masked) start += 4;
  const end = start + length;
  return end <= bytes.length ? { fin, opcode, masked, start, end } : null;
}
