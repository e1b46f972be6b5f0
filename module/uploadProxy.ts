/**
 * The jssdk uploads files itself: `/object/*` calls on its `apiAddr`, PUTs of the parts to the
 * URLs the server signs, then a `…ByURL` call over the socket. Pointing `apiAddr` at the bridge
 * lets a browser that reaches only the bridge upload: the `/object/*` calls are forwarded to the
 * OpenIM API, signed part URLs are rewritten to a bridge route that forwards the PUT (the target
 * is HMAC-signed so the route is no open proxy), and returned file URLs on the API's origin are
 * rewritten to a bridge route that fetches them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { HttpServer } from '../network/httpServer';

/** The `/object/*` routes the jssdk (and OpenIM's web clients) call. */
export const OBJECT_API_PATHS = [
  '/object/part_limit',
  '/object/part_size',
  '/object/initiate_multipart_upload',
  '/object/complete_multipart_upload',
  '/object/access_url',
] as const;
/** Where rewritten signed part URLs point. */
export const PART_PUT_PATH = '/bridge/object/put';
/** Where rewritten file URLs point. */
export const FILE_GET_PATH = '/bridge/object/get';

export interface UploadProxyOptions {
  /** The OpenIM REST API address, e.g. http://127.0.0.1:10002. */
  readonly apiAddress: string;
  /** Largest JSON body forwarded to an `/object/*` route. */
  readonly maxJsonBytes?: number;
  /** How long one upstream call may take. */
  readonly timeoutMs?: number;
}

export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024;
export const DEFAULT_UPLOAD_TIMEOUT_MS = 120_000;

/** Request headers never forwarded: they describe the hop to the bridge, not the upload. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'origin', 'referer', 'cookie', 'accept-encoding', 'te', 'trailer', 'proxy-authorization']);

export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Expose-Headers': 'ETag',
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bridge's own address as the client used it (the Host it asked for). */
export function bridgeBase(req: IncomingMessage, isTls: boolean): string {
  return `${isTls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

/**
 * A file URL the client can fetch through the bridge: only files on the API's own origin
 * (OpenIM serves `/object/<name>` there, usually unreachable from clients) are rewritten to
 * FILE_GET_PATH; object-storage URLs (MinIO, COS, OSS) are left as they are.
 */
export function bridgeFileUrl(base: string, apiOrigin: string, url: string): string {
  return url.startsWith(`${apiOrigin}/`) ? `${base}${FILE_GET_PATH}?u=${encodeURIComponent(url)}` : url;
}

class UploadProxy {
  private readonly key = randomBytes(32);
  private readonly apiBase: string;
  private readonly apiOrigin: string;
  private readonly maxJsonBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly http: HttpServer,
    options: UploadProxyOptions,
  ) {
    this.apiBase = options.apiAddress.replace(/\/+$/, '');
    this.apiOrigin = new URL(this.apiBase).origin;
    this.maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  }

  register(): void {
    for (const path of OBJECT_API_PATHS) this.http.routes.set(path, (req, res) => this.withCors(req, res, () => this.forwardApi(path, req, res)));
    this.http.routes.set(PART_PUT_PATH, (req, res) => this.withCors(req, res, () => this.forwardPut(req, res)));
    this.http.routes.set(FILE_GET_PATH, (req, res) => this.withCors(req, res, () => this.forwardGet(req, res)));
  }

  private async withCors(req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void> {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    try {
      await handle();
    } catch (err) {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`upstream error: ${(err as Error).message}\n`);
    }
  }

  private bridgeBase(req: IncomingMessage): string {
    return bridgeBase(req, this.http.isTls);
  }

  private sign(target: string): string {
    return createHmac('sha256', this.key).update(target).digest('base64url');
  }

  private verify(target: string, signature: string): boolean {
    const want = Buffer.from(this.sign(target));
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private putUrl(base: string, target: string): string {
    return `${base}${PART_PUT_PATH}?u=${encodeURIComponent(target)}&s=${this.sign(target)}`;
  }

  private fileUrl(base: string, url: string): string {
    return bridgeFileUrl(base, this.apiOrigin, url);
  }

  private async readJson(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxJsonBytes) throw new Error(`request body over ${this.maxJsonBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private forwardedHeaders(req: IncomingMessage): Headers {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_HEADERS.has(k) || k.startsWith('sec-') || k.startsWith('access-control-')) continue;
      headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    return headers;
  }

  private async forwardApi(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST, OPTIONS' }).end();
      return;
    }
    const body = await this.readJson(req);
    const upstream = await fetch(this.apiBase + path, { method: 'POST', headers: this.forwardedHeaders(req), body: new Uint8Array(body), signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await upstream.text();
    let out = text;
    try {
      const env = JSON.parse(text) as unknown;
      if (isObject(env) && isObject(env.data)) out = JSON.stringify({ ...env, data: this.rewriteData(this.bridgeBase(req), env.data) });
    } catch {
      // not JSON: passed through as the server sent it
    }
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' }).end(out);
  }

  /** Rewrites signed part URLs and file URLs in an `/object/*` reply. */
  private rewriteData(base: string, data: Json): Json {
    const out: Json = { ...data };
    if (typeof out.url === 'string' && out.url) out.url = this.fileUrl(base, out.url);
    const upload = isObject(out.upload) ? { ...out.upload } : undefined;
    if (upload && isObject(upload.sign)) {
      const sign: Json = { ...upload.sign };
      if (typeof sign.url === 'string' && sign.url) sign.url = this.putUrl(base, sign.url);
      if (Array.isArray(sign.parts)) {
        sign.parts = sign.parts.map((p: unknown) => (isObject(p) && typeof p.url === 'string' && p.url ? { ...p, url: this.putUrl(base, p.url) } : p));
      }
      upload.sign = sign;
      out.upload = upload;
    }
    return out;
  }

  private async forwardPut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const target = query.get('u') ?? '';
    if (req.method !== 'PUT' || !target || !this.verify(target, query.get('s') ?? '')) {
      res.writeHead(req.method !== 'PUT' ? 405 : 403, { 'Content-Type': 'text/plain' }).end('not a signed upload URL of this bridge\n');
      return;
    }
    // The jssdk adds the sign's query parameters to the URL it was given: pass them on.
    const url = new URL(target);
    for (const [k, v] of query) if (k !== 'u' && k !== 's') url.searchParams.set(k, v);
    const upstream = await fetch(url, {
      method: 'PUT',
      headers: this.forwardedHeaders(req),
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: 'half',
      signal: AbortSignal.timeout(this.timeoutMs),
    } as RequestInit);
    const etag = upstream.headers.get('etag');
    res.writeHead(upstream.status, etag ? { ETag: etag } : {});
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }

  private async forwardGet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end();
      return;
    }
    const target = fileTarget(req.url ?? '');
    if (!target || !target.startsWith(`${this.apiOrigin}/`)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('not a file URL of this bridge\n');
      return;
    }
    const upstream = await fetch(target, { method: req.method, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control']) {
      const v = upstream.headers.get(h);
      if (v) headers[h] = v;
    }
    res.writeHead(upstream.status, headers);
    if (!upstream.body || req.method === 'HEAD') {
      res.end();
      return;
    }
    Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream<Uint8Array>).pipe(res);
  }
}

/**
 * The upstream URL of a rewritten file URL. The jssdk appends `?type=image&width=…` to the URL
 * it got, so the text after `u=` up to the first `&`, plus everything after it, is exactly the
 * URL the jssdk would have fetched from the API directly.
 */
function fileTarget(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  if (q < 0) return '';
  const query = rawUrl.slice(q + 1);
  if (!query.startsWith('u=')) return '';
  const amp = query.indexOf('&');
  let target: string;
  try {
    target = decodeURIComponent(amp < 0 ? query.slice(2) : query.slice(2, amp));
  } catch {
    return '';
  }
  const rest = amp < 0 ? '' : query.slice(amp + 1);
  return rest ? `${target}${target.includes('?') ? '&' : '?'}${rest}` : target;
}

/** Registers the `/object/*` forwarding and the part-upload and file routes on the bridge's HTTP server. */
export function registerUploadProxy(http: HttpServer, options: UploadProxyOptions): void {
  new UploadProxy(http, options).register();
}
