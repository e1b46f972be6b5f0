/**
 * The client SDK makes its REST calls (about six per login, more per request) with the
 * global fetch; Node's fetch costs a third to a half of a login's CPU (docs/PERFORMANCE.md,
 * F2). This replaces it, for plain-HTTP POSTs without an abort signal (what the client SDK
 * sends), with http.request over one keep-alive agent; everything else goes to Node's fetch.
 */
import http from 'node:http';

/** Sockets kept open towards the OpenIM API at once. */
export const UPSTREAM_HTTP_MAX_SOCKETS = 256;
/** A REST call the upstream has not answered by then fails (the client SDK has no timeout of its own). */
export const UPSTREAM_HTTP_TIMEOUT_MS = 30_000;

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);
let installed = false;

function headersOf(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h as [string, string][]) out[k] = v;
  else if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) out[k] = String(v);
  return out;
}

function bodyOf(b: unknown): Buffer | undefined | null {
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'string') return Buffer.from(b);
  if (b instanceof Uint8Array) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return null; // a stream, form or blob: leave it to Node's fetch
}

/**
 * A fetch Response over a body already read in full. Building a WHATWG Response from the
 * bytes (stream, transferable setup) cost a tenth of a login's CPU in the profile; the client
 * SDK only reads `ok`, `status`, `statusText` and `json()`. Headers are built when asked for.
 */
class BufferedResponse {
  readonly type = 'basic';
  readonly redirected = false;
  readonly body = null;
  private used = false;
  private headerList?: Headers;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly rawHeaders: http.IncomingHttpHeaders,
    private readonly bytes: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get headers(): Headers {
    if (!this.headerList) {
      this.headerList = new Headers();
      for (const [k, v] of Object.entries(this.rawHeaders)) if (v !== undefined) this.headerList.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    return this.headerList;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.consume().toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.consume())]);
  }

  clone(): BufferedResponse {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.url, this.status, this.statusText, this.rawHeaders, this.bytes);
  }
}

export function leanPost(url: URL, init: RequestInit, body: Buffer | undefined, agent: http.Agent): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers = headersOf(init.headers);
    if (body) headers['content-length'] = String(body.length);
    const req = http.request(url, { method: 'POST', headers, agent, timeout: UPSTREAM_HTTP_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const bytes = NO_BODY_STATUS.has(status) ? Buffer.alloc(0) : Buffer.concat(chunks);
        resolve(new BufferedResponse(url.href, status, res.statusMessage ?? '', res.headers, bytes) as unknown as Response);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`upstream did not answer within ${UPSTREAM_HTTP_TIMEOUT_MS} ms`)));
    req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
    req.end(body);
  });
}

/** Installs the lean path in front of the global fetch, once per process. */
export function installUpstreamHttp(): void {
  if (installed) return;
  installed = true;
  const nodeFetch = globalThis.fetch;
  const agent = new http.Agent({ keepAlive: true, maxSockets: UPSTREAM_HTTP_MAX_SOCKETS });
  globalThis.fetch = function upstreamFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    if (typeof input !== 'string' || (init.method ?? 'GET').toUpperCase() !== 'POST' || init.signal) return nodeFetch(input, init);
    const url = new URL(input);
    const body = bodyOf(init.body);
    if (url.protocol !== 'http:' || body === null) return nodeFetch(input, init);
    return leanPost(url, init, body, agent);
  } as typeof fetch;
}
