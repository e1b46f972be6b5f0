/**
 * The TCP transport's wire format (docs/PROTOCOL.md): one handshake line, then frames of
 * `uint32 BE length` + `uint8 kind` + payload, where length counts kind and payload.
 * Pure functions, shared by the server transport and the client.
 */

export const FrameKind = { Message: 0, Ping: 1, Pong: 2, Close: 3 } as const;
export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

/** The handshake line (and the server's answer line) may not be longer than this. */
export const MAX_HANDSHAKE_LINE_BYTES = 4096;
export const HEADER_BYTES = 5;

export function encodeFrame(kind: FrameKindValue, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32BE(payload.length + 1, 0);
  out.writeUInt8(kind, 4);
  payload.copy(out, HEADER_BYTES);
  return out;
}

export function encodeClose(code: number, reason: string): Buffer {
  const r = Buffer.from(reason, 'utf8');
  const payload = Buffer.allocUnsafe(2 + r.length);
  payload.writeUInt16BE(code, 0);
  r.copy(payload, 2);
  return encodeFrame(FrameKind.Close, payload);
}

export function decodeClose(payload: Buffer): { code: number; reason: string } {
  if (payload.length < 2) return { code: 1005, reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

export type Decoded = { kind: number; payload: Buffer };

/** Incremental reader of a byte stream into frames; refuses a declared length over the limit before buffering it. */
export class FrameReader {
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxPayloadBytes: number) {}

  /** Frames complete so far, or an error that ends the stream. */
  push(chunk: Buffer): { frames: Decoded[]; error?: string } {
    this.buffered.push(chunk);
    this.size += chunk.length;
    const frames: Decoded[] = [];
    for (;;) {
      if (this.size < 4) return { frames };
      const all = this.take();
      const length = all.readUInt32BE(0);
      if (length === 0) return { frames, error: 'frame length 0 (a frame has at least its kind byte)' };
      if (length - 1 > this.maxPayloadBytes) return { frames, error: `frame of ${length - 1} bytes exceeds the limit of ${this.maxPayloadBytes}` };
      if (all.length < 4 + length) return { frames };
      frames.push({ kind: all.readUInt8(4), payload: all.subarray(HEADER_BYTES, 4 + length) });
      this.rest(all.subarray(4 + length));
    }
  }

  private take(): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = [all];
    return all;
  }

  private rest(b: Buffer): void {
    this.buffered = b.length ? [b] : [];
    this.size = b.length;
  }
}

/** Reads the handshake line; `line` is undefined until the newline arrives. */
export class LineReader {
  private buffered = Buffer.alloc(0);

  push(chunk: Buffer): { line?: string; rest?: Buffer; error?: string } {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const nl = this.buffered.indexOf(0x0a);
    if (nl < 0) return this.buffered.length > MAX_HANDSHAKE_LINE_BYTES ? { error: 'handshake line too long' } : {};
    if (nl > MAX_HANDSHAKE_LINE_BYTES) return { error: 'handshake line too long' };
    const line = this.buffered.subarray(0, nl).toString('utf8').replace(/\r$/, '');
    return { line, rest: this.buffered.subarray(nl + 1) };
  }
}
