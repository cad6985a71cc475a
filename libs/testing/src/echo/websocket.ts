/**
 * WebSocket echo on `/ws` (RFC 6455), as the conformance echo server has: the handshake, then
 * every data frame sent back as it came (text stays text, binary stays binary), pings
 * answered with pongs, a close answered with a close. Written by hand because the echo is a
 * test backend with no dependencies beyond Node; it handles what a client sends (masked
 * frames, 16- and 64-bit lengths) and nothing of extensions.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client key. */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** Completes the handshake on `socket` and echoes frames until the client closes. */
export function serveWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || req.headers['upgrade']?.toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  let pending = Buffer.alloc(0);
  const consume = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    for (let frame = readFrame(pending); frame !== undefined; frame = readFrame(pending)) {
      pending = pending.subarray(frame.size);
      if (frame.opcode === 0x8) {
        socket.end(encodeFrame(0x8, true, frame.payload));
        return;
      }
      if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, true, frame.payload));
      else if (frame.opcode !== 0xa)
        socket.write(encodeFrame(frame.opcode, frame.fin, frame.payload));
    }
  };
  socket.on('data', consume);
  socket.on('error', () => socket.destroy());
  consume(head);
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the frame took in the buffer. */
  size: number;
}

/** The first complete frame of `buf`, unmasked, or undefined when more bytes are needed. */
export function readFrame(buf: Buffer): Frame | undefined {
  if (buf.length < 2) return undefined;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const mask = masked ? buf.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (mask)
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, size: offset + length };
}

/** A server frame (servers never mask). */
export function encodeFrame(opcode: number, fin: boolean, payload: Buffer): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([first, payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}
