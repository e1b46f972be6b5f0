/** Plain-HTTP POSTs over pooled keep-alive connections, one pool per host:port. */
import { OriginPool, type Http1Reply } from './connectionPool';

/** Header names set here from the request itself; a caller's own are left out. */
const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * The request's bytes in one buffer: request line, Host, the caller's headers, Content-Length,
 * body. Throws a TypeError for a header that would break the request, as http.request does.
 */
export function encodePost(url: URL, headers: Record<string, string>, body: Buffer | undefined): Buffer {
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const name in headers) {
    const value = headers[name];
    if (!TOKEN.test(name)) throw new TypeError(`Header name must be a valid HTTP token ["${name}"]`);
    if (BAD_VALUE_CHAR.test(value)) throw new TypeError(`Invalid character in header content ["${name}"]`);
    if (FRAMING_HEADERS.has(name.toLowerCase())) continue;
    head += `${name}: ${value}\r\n`;
  }
  const length = body ? body.length : 0;
  head += `Content-Length: ${length}\r\n\r\n`;
  // Header text is written as latin1, as Node's http does; head.length is then its byte length.
  const out = Buffer.allocUnsafe(head.length + length);
  out.write(head, 0, 'latin1');
  if (body) body.copy(out, head.length);
  return out;
}

export class Http1Client {
  private readonly pools = new Map<string, OriginPool>();

  constructor(private readonly maxSockets: number) {}

  /** POSTs to a plain-HTTP `url`; rejects with TypeError('fetch failed', { cause }) when nothing answers in time. */
  post(url: URL, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<Http1Reply> {
    let request: Buffer;
    try {
      request = encodePost(url, headers, body);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.pool(url).request(request, timeoutMs);
  }

  /** Sockets open and idle towards `url`'s origin. */
  sockets(url: URL): { open: number; idle: number } {
    return this.pools.get(originKey(url))?.sockets() ?? { open: 0, idle: 0 };
  }

  /** Closes every idle socket (tests, shutdown). */
  closeIdle(): void {
    for (const pool of this.pools.values()) pool.closeIdle();
  }

  private pool(url: URL): OriginPool {
    const key = originKey(url);
    let pool = this.pools.get(key);
    if (!pool) {
      // WHATWG URLs keep IPv6 hosts in brackets; net.connect wants them bare.
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      pool = new OriginPool(host, url.port ? Number(url.port) : 80, this.maxSockets);
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function originKey(url: URL): string {
  return url.host;
}
