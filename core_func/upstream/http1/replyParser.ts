/**
 * An incremental parser of one HTTP/1.x reply (RFC 9112) as a client reads it: interim 1xx
 * replies skipped, then the final status line and headers, then a body framed by
 * Content-Length, chunked transfer coding (trailers read and dropped) or the end of the
 * connection. Fed the socket's chunks as they come; knows nothing of sockets.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** A status line plus header section (per reply, interim ones included) longer than this is refused. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** A reply body longer than this is refused (the largest OpenIM replies, full syncs, are a few MiB). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The reply broke HTTP/1.1 framing or a size limit; the connection cannot be used again. */
export class ReplyParseError extends Error {
  readonly code = 'UPSTREAM_BAD_REPLY';
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/** Headers of which Node keeps only the first (a duplicate is ignored), as IncomingMessage does. */
const FIRST_WINS = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

const enum Phase {
  Head,
  Fixed,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done,
}

/** Adds one header line's field to `h` the way Node's IncomingMessage does. */
function addHeader(h: Record<string, string | string[]>, name: string, value: string): void {
  const prev = h[name];
  if (prev === undefined) h[name] = name === 'set-cookie' ? [value] : value;
  else if (name === 'set-cookie') (prev as string[]).push(value);
  else if (!FIRST_WINS.has(name)) h[name] = `${prev as string}${name === 'cookie' ? '; ' : ', '}${value}`;
}

function hasToken(list: string | string[] | undefined, token: string): boolean {
  if (list === undefined) return false;
  const s = Array.isArray(list) ? list.join(',') : list;
  return s.toLowerCase().split(',').some((t) => t.trim() === token);
}

/** Content-Length as a number; -1 when absent. Identical repeats ("5, 5") are accepted as RFC 9110 allows. */
function contentLength(raw: string | undefined): number {
  if (raw === undefined) return -1;
  const values = raw.split(',').map((v) => v.trim());
  if (!values.every((v) => v === values[0]) || !/^\d{1,15}$/.test(values[0])) throw new ReplyParseError(`invalid Content-Length: ${raw}`);
  return Number(values[0]);
}

/** The idle time the server announced in `Keep-Alive: timeout=N`, in ms; undefined when absent. */
function keepAliveTimeoutMs(raw: string | undefined): number | undefined {
  const m = raw === undefined ? null : /(?:^|[\s,;])timeout\s*=\s*"?(\d+)/i.exec(raw);
  return m ? Number(m[1]) * 1000 : undefined;
}

export class ReplyParser {
  status = 0;
  statusText = '';
  headers: IncomingHttpHeaders = Object.create(null) as IncomingHttpHeaders;
  /** True once the reply is complete and the connection may carry the next request. */
  reusable = false;
  /** The idle time the server announced for this connection (Keep-Alive: timeout), in ms. */
  serverIdleMs: number | undefined;

  private phase = Phase.Head;
  private keepAlive = false;
  /** Bytes of an unfinished head, chunk-size line or trailer section. */
  private partial: Buffer | undefined;
  private remaining = 0;
  private parts: Buffer[] = [];
  private size = 0;

  get done(): boolean {
    return this.phase === Phase.Done;
  }

  /** Whether any byte of a reply (interim ones included) has arrived. */
  get started(): boolean {
    return this.phase !== Phase.Head || this.partial !== undefined || this.status !== 0;
  }

  /**
   * Feeds bytes read from the connection. Returns true when the reply is complete; bytes past
   * its end make the connection unusable (no request was pipelined behind it).
   */
  push(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length && this.phase !== Phase.Done) offset = this.step(chunk, offset);
    if (offset < chunk.length) this.reusable = false;
    return this.phase === Phase.Done;
  }

  /** The connection ended: true when that completes the reply (a body delimited by the close). */
  end(): boolean {
    if (this.phase === Phase.UntilClose) this.phase = Phase.Done;
    return this.phase === Phase.Done;
  }

  /** The body read; none for 205 (Reset Content), whatever framing the server used. */
  body(): Buffer {
    if (this.status === 205) return EMPTY;
    if (this.parts.length === 1) return this.parts[0];
    return this.parts.length === 0 ? EMPTY : Buffer.concat(this.parts, this.size);
  }

  private step(chunk: Buffer, offset: number): number {
    switch (this.phase) {
      case Phase.Head:
        return this.readHead(chunk, offset);
      case Phase.Fixed:
        return this.readFixed(chunk, offset);
      case Phase.ChunkSize:
        return this.readChunkSize(chunk, offset);
      case Phase.ChunkData:
        return this.readChunkData(chunk, offset);
      case Phase.ChunkEnd:
        return this.readChunkEnd(chunk, offset);
      case Phase.Trailers:
        return this.readTrailers(chunk, offset);
      default:
        this.addBody(chunk.subarray(offset));
        return chunk.length;
    }
  }

  /**
   * Collects bytes up to a `delimiter` across chunks. Returns the collected bytes (delimiter
   * excluded) and the offset after it, or undefined (all of `chunk` consumed) when it has not come yet.
   */
  private collect(chunk: Buffer, offset: number, delimiter: Buffer, limit: number, what: string): { bytes: Buffer; next: number } | undefined {
    const prev = this.partial;
    const data = prev ? Buffer.concat([prev, chunk.subarray(offset)]) : chunk;
    const start = prev ? 0 : offset;
    const at = data.indexOf(delimiter, prev ? Math.max(0, prev.length - delimiter.length + 1) : offset);
    if (at < 0 || at - start > limit) {
      if (data.length - start > limit) throw new ReplyParseError(`${what} longer than ${limit} bytes`);
      this.partial = prev ? data : Buffer.from(chunk.subarray(offset));
      return undefined;
    }
    this.partial = undefined;
    // Offsets in `data` map back onto `chunk` past what the partial bytes took up.
    const next = at + delimiter.length - (prev ? prev.length : 0) + (prev ? offset : 0);
    return { bytes: data.subarray(start, at), next };
  }

  private readHead(chunk: Buffer, offset: number): number {
    const got = this.collect(chunk, offset, HEAD_END, MAX_HEAD_BYTES, 'reply head');
    if (!got) return chunk.length;
    this.parseHead(got.bytes.toString('latin1'));
    return got.next;
  }

  private parseHead(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = lines[0];
    const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) throw new ReplyParseError(`invalid status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const status = Number(m[2]);
    const headers = Object.create(null) as Record<string, string | string[]>;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(colon - 1) === 32 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) throw new ReplyParseError(`invalid header line: ${JSON.stringify(line.slice(0, 80))}`);
      addHeader(headers, line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    this.status = status;
    this.statusText = m[3] ?? '';
    this.headers = headers as IncomingHttpHeaders;
    if (status >= 100 && status < 200 && status !== 101) return; // interim: the final reply follows
    this.frameBody(m[1] === '1', headers);
  }

  private frameBody(http11: boolean, headers: Record<string, string | string[]>): void {
    const connection = headers.connection;
    this.keepAlive = http11 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
    this.serverIdleMs = keepAliveTimeoutMs(headers['keep-alive'] as string | undefined);
    const te = headers['transfer-encoding'] as string | undefined;
    const length = contentLength(headers['content-length'] as string | undefined);
    if (this.status === 204 || this.status === 304 || this.status === 101) {
      this.keepAlive &&= this.status !== 101;
      return this.finish();
    }
    if (te !== undefined) {
      // A reply with both is a smuggling risk: read it by its coding, then drop the connection.
      if (length >= 0) this.keepAlive = false;
      const codings = te.toLowerCase().split(',');
      if (codings[codings.length - 1].trim() === 'chunked') this.phase = Phase.ChunkSize;
      else this.phase = Phase.UntilClose;
      return;
    }
    if (length < 0) {
      this.phase = Phase.UntilClose;
      return;
    }
    if (length > MAX_BODY_BYTES) throw new ReplyParseError(`reply body of ${length} bytes is over the ${MAX_BODY_BYTES}-byte limit`);
    this.remaining = length;
    if (length === 0) this.finish();
    else this.phase = Phase.Fixed;
  }

  private finish(): void {
    this.phase = Phase.Done;
    this.reusable = this.keepAlive;
  }

  private addBody(part: Buffer): void {
    this.size += part.length;
    if (this.size > MAX_BODY_BYTES) throw new ReplyParseError(`reply body over the ${MAX_BODY_BYTES}-byte limit`);
    this.parts.push(part);
  }

  private readFixed(chunk: Buffer, offset: number): number {
    const take = Math.min(this.remaining, chunk.length - offset);
    this.addBody(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
    this.remaining -= take;
    if (this.remaining === 0) this.finish();
    return offset + take;
  }

  private readChunkSize(chunk: Buffer, offset: number): number {
    const got = this.collect(chunk, offset, CRLF, 1024, 'chunk-size line');
    if (!got) return chunk.length;
    const line = got.bytes.toString('latin1');
    const semi = line.indexOf(';');
    const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new ReplyParseError(`invalid chunk size: ${JSON.stringify(line.slice(0, 40))}`);
    const size = parseInt(hex, 16);
    if (size === 0) this.phase = Phase.Trailers;
    else {
      if (this.size + size > MAX_BODY_BYTES) throw new ReplyParseError(`reply body over the ${MAX_BODY_BYTES}-byte limit`);
      this.remaining = size;
      this.phase = Phase.ChunkData;
    }
    return got.next;
  }

  private readChunkData(chunk: Buffer, offset: number): number {
    const take = Math.min(this.remaining, chunk.length - offset);
    this.addBody(chunk.subarray(offset, offset + take));
    this.remaining -= take;
    if (this.remaining === 0) {
      this.phase = Phase.ChunkEnd;
      this.remaining = 2;
    }
    return offset + take;
  }

  /** The CRLF after a chunk's data, possibly split across reads. */
  private readChunkEnd(chunk: Buffer, offset: number): number {
    while (this.remaining > 0 && offset < chunk.length) {
      if (chunk[offset] !== CRLF[2 - this.remaining]) throw new ReplyParseError('chunk data not followed by CRLF');
      this.remaining--;
      offset++;
    }
    if (this.remaining === 0) this.phase = Phase.ChunkSize;
    return offset;
  }

  /** After the last chunk: an empty line, or trailer fields ending with one (read and dropped). */
  private readTrailers(chunk: Buffer, offset: number): number {
    if (this.partial === undefined && chunk.length - offset >= 2 && chunk[offset] === 13 && chunk[offset + 1] === 10) {
      this.finish();
      return offset + 2;
    }
    // Seen from the start of the trailer section, "\r\n" first means no trailers.
    const prev = this.partial ?? EMPTY;
    const data = Buffer.concat([prev, chunk.subarray(offset)]);
    if (data.length >= 2 && data[0] === 13 && data[1] === 10) {
      this.partial = undefined;
      this.finish();
      return offset + 2 - prev.length;
    }
    this.partial = prev.length > 0 ? prev : undefined;
    const got = this.collect(chunk, offset, HEAD_END, MAX_HEAD_BYTES, 'trailer section');
    if (!got) return chunk.length;
    this.finish();
    return got.next;
  }
}
