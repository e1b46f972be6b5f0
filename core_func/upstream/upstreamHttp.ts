/**
 * Every REST call to the OpenIM API (the client SDK's own and the bridge's) takes this lean
 * path: a plain-HTTP POST over pooled keep-alive sockets (http1/, a minimal HTTP/1.1 client
 * over `net`), answered from a body read in full. Node's fetch (undici, web streams, abort
 * controllers) cost a third to a half of a login's CPU (docs/PERFORMANCE.md, F2), and
 * http.request with an Agent still two to four times what the raw client costs. Nothing here
 * is global: the client SDK gets `upstreamFetch` as its own `fetch` binding (sdkModule.ts),
 * the bridge calls `upstreamPost` (restClient.ts).
 */
import type http from 'node:http';
import { Http1Client } from './http1/client';
import { observeSdkPost } from './loginSyncTap';

/** Sockets kept open towards one origin of the OpenIM API at once; further calls wait in order. */
export const UPSTREAM_HTTP_MAX_SOCKETS = 256;
/** A REST call the upstream has not answered by then fails (the client SDK has no timeout of its own). */
export const UPSTREAM_HTTP_TIMEOUT_MS = 30_000;

/** The one connection pool of every upstream REST call in this process. */
const client = new Http1Client(UPSTREAM_HTTP_MAX_SOCKETS);

/** An answer read in full. */
export interface UpstreamReply {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** POSTs `body` to a plain-HTTP `url`; rejects with a TypeError('fetch failed') as fetch does when nothing answers. */
export function upstreamPost(url: URL, headers: Record<string, string>, body: Buffer | undefined, timeoutMs = UPSTREAM_HTTP_TIMEOUT_MS): Promise<UpstreamReply> {
  return client.post(url, headers, body, timeoutMs);
}

/** Sockets open and idle towards `url`'s origin (tests). */
export function upstreamSockets(url: URL): { open: number; idle: number } {
  return client.sockets(url);
}

/** Closes the idle upstream sockets (tests, shutdown); they never hold the process open anyway. */
export function closeIdleUpstreamSockets(): void {
  client.closeIdle();
}

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
    private readonly reply: UpstreamReply,
  ) {}

  get status(): number {
    return this.reply.status;
  }

  get statusText(): string {
    return this.reply.statusText;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get headers(): Headers {
    if (!this.headerList) {
      this.headerList = new Headers();
      for (const [k, v] of Object.entries(this.reply.headers)) if (v !== undefined) this.headerList.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    return this.headerList;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.reply.body;
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
    return new BufferedResponse(this.url, this.reply);
  }
}

/**
 * The client SDK's `fetch`: plain-HTTP POSTs without an abort signal (all its REST calls) on
 * the lean path, anything else (uploads' PUTs to object storage, HTTPS) to Node's fetch.
 */
export function upstreamFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  if (typeof input !== 'string' || (init.method ?? 'GET').toUpperCase() !== 'POST' || init.signal) return fetch(input, init);
  const url = new URL(input);
  const body = bodyOf(init.body);
  if (url.protocol !== 'http:' || body === null) return fetch(input, init);
  const headers = headersOf(init.headers);
  const reply = upstreamPost(url, headers, body);
  observeSdkPost(url.pathname, headers, body, reply);
  return reply.then((r) => new BufferedResponse(url.href, r) as unknown as Response);
}
