/**
 * Handing accepted connections from one process to another, keyed by a query parameter of
 * the connect request, so that all connections with the same key (say, the same user) reach
 * the same process. The receiving side serves them with HttpServer.adopt / TcpTransport.adopt.
 *
 * Only plain TCP sockets can be handed over: TLS state cannot cross processes.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { LineReader } from './tcpFraming';

/** The HTTP request head as the client sent it (rebuilt from the parsed request), then the bytes after it. */
export function rawRequest(req: http.IncomingMessage, head: Buffer): Buffer {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]);
}

/** The value of `param` in a request target (`/path?a=b`) or a TCP handshake line (`a=b&c=d`). */
export function routeKey(target: string, param: string): string | undefined {
  const q = target.indexOf('?');
  const query = q >= 0 ? target.slice(q + 1) : target;
  try {
    return new URLSearchParams(query).get(param) ?? undefined;
  } catch {
    return undefined;
  }
}

/** FNV-1a: the same key always picks the same one of `n` processes. */
export function pickIndex(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

/**
 * Stops reading from a socket about to be handed over and returns what the stream had
 * already buffered: bytes read here after this would be lost to the other process. (`pause()`
 * alone lets the stream go on reading up to its high-water mark; the handle's readStop does not.)
 */
export function stopReading(socket: Socket): Buffer {
  socket.pause();
  (socket as unknown as { _handle?: { readStop?: () => void } })._handle?.readStop?.();
  const chunks: Buffer[] = [];
  for (let c = socket.read() as Buffer | null; c !== null; c = socket.read() as Buffer | null) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * Reads a TCP connection's handshake line without consuming it for the process that will
 * serve the connection: resolves with the line and every byte read so far.
 */
export function readHandshakeLine(socket: Socket, timeoutMs: number): Promise<{ line: string; bytes: Buffer } | { error: string }> {
  return new Promise((resolve) => {
    const reader = new LineReader();
    const chunks: Buffer[] = [];
    const done = (r: { line: string; bytes: Buffer } | { error: string }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      const more = stopReading(socket);
      resolve('line' in r ? { line: r.line, bytes: Buffer.concat([r.bytes, more]) } : r);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const r = reader.push(chunk);
      if (r.error) done({ error: r.error });
      else if (r.line !== undefined) done({ line: r.line, bytes: Buffer.concat(chunks) });
    };
    const onClose = () => done({ error: 'closed before the handshake line' });
    const timer = setTimeout(() => done({ error: 'no handshake line' }), timeoutMs);
    timer.unref();
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
