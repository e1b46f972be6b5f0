/**
 * Uploads for mini-programs. The jssdk's uploadFile / create*MessageByFile need File,
 * FileReader, Blob.slice and fetch, which WeChat and uni-app mini-programs lack; what they
 * have is wx.uploadFile / uni.uploadFile, a multipart form post. This route takes that post
 * (the user's token in a `token` form field, a `token` header or `Authorization: Bearer`), does
 * on the server what the jssdk does in a browser (open-im-sdk src/api/index.ts
 * internalUploadFile: /object/part_size, /object/initiate_multipart_upload, a PUT per part,
 * /object/complete_multipart_upload, with the user's own token) and answers the file's URL for
 * createImageMessageByURL / createFileMessageByURL / createVideoMessageByURL.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { HttpServer } from '../network/httpServer';
import type { Logger } from '../common/logger';
import { ErrorCode } from '../common/errors';
import { CORS_HEADERS, bridgeBase, bridgeFileUrl } from './uploadProxy';

export const MINI_PROGRAM_UPLOAD_PATH = '/bridge/upload';
const MAX_FIELDS = 16;
const MAX_FIELD_BYTES = 8 * 1024;
const UPSTREAM_TIMEOUT_MS = 120_000;

export interface MiniProgramUploadOptions {
  readonly apiAddress: string;
  readonly maxBytes: number;
  readonly logger: Logger;
}

/** The answer's shape follows OpenIM's API envelope, so a mini-program reads it the way it reads OpenIM's. */
type Answer = { errCode: number; errMsg: string; data?: { url: string; name: string; size: number; contentType: string } };

class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly errCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Posted {
  readonly token: string;
  readonly operationID: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** OpenIM token errors (1501 expired … 1507 not exist) are the caller's credentials, not the bridge's. */
const isTokenError = (errCode: number) => errCode >= 1501 && errCode <= 1507;

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  silk: 'audio/silk',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** WeChat posts files as application/octet-stream (or guesses); the extension says more. */
function contentTypeOf(fileName: string, posted: string): string {
  if (posted && posted !== 'application/octet-stream') return posted;
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** The last path segment, without anything that would change the object's path. */
function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\w.-]/g, '_').slice(-128);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'file';
}

/** The UserID claim of an OpenIM token (read, not verified: OpenIM verifies it on the first call). */
function tokenUserID(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { UserID?: unknown };
    return typeof claims.UserID === 'string' && claims.UserID ? claims.UserID : 'upload';
  } catch {
    return 'upload';
  }
}

function headerToken(req: IncomingMessage): string {
  const t = req.headers.token;
  if (typeof t === 'string' && t) return t;
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

class MiniProgramUpload {
  private readonly apiBase: string;
  private readonly apiOrigin: string;

  constructor(
    private readonly http: HttpServer,
    private readonly options: MiniProgramUploadOptions,
  ) {
    this.apiBase = options.apiAddress.replace(/\/+$/, '');
    this.apiOrigin = new URL(this.apiBase).origin;
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    try {
      if (req.method !== 'POST') throw new UploadError(405, ErrorCode.ArgsError, 'POST a multipart form (wx.uploadFile / uni.uploadFile)');
      const posted = await this.read(req);
      const url = await this.upload(posted);
      const name = posted.fileName;
      this.options.logger.info({ size: posted.bytes.length, contentType: posted.contentType, operationID: posted.operationID }, 'mini-program upload stored');
      answer(res, 200, { errCode: 0, errMsg: '', data: { url: bridgeFileUrl(bridgeBase(req, this.http.isTls), this.apiOrigin, url), name, size: posted.bytes.length, contentType: posted.contentType } });
    } catch (err) {
      const e = err instanceof UploadError ? err : new UploadError(502, ErrorCode.Network, `upload to OpenIM failed: ${(err as Error).message}`);
      if (e.status >= 500) this.options.logger.warn({ status: e.status, errCode: e.errCode, errMsg: e.message }, 'mini-program upload failed');
      // Whatever the client is still sending is not read: close after answering.
      answer(res, e.status, { errCode: e.errCode, errMsg: e.message }, true);
      req.resume();
    }
  };

  /** Reads the form: the file (at most maxBytes, held in memory: its part hashes are needed before the upload starts) and the fields. */
  private read(req: IncomingMessage): Promise<Posted> {
    const max = this.options.maxBytes;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > max + 64 * 1024) return Promise.reject(new UploadError(413, ErrorCode.ArgsError, `file too large: the limit is ${max} bytes (upload_max_bytes)`));
    return new Promise((resolve, reject) => {
      let form: busboy.Busboy;
      try {
        form = busboy({ headers: req.headers, limits: { files: 1, fileSize: max, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES } });
      } catch {
        reject(new UploadError(400, ErrorCode.ArgsError, 'expected a multipart/form-data body (wx.uploadFile / uni.uploadFile)'));
        return;
      }
      const fields = new Map<string, string>();
      let file: { name: string; mimeType: string; chunks: Buffer[]; size: number; truncated: boolean } | undefined;
      let failed = false;
      const fail = (e: UploadError) => {
        if (failed) return;
        failed = true;
        req.unpipe(form);
        reject(e);
      };
      form.on('field', (name, value) => fields.set(name, value));
      form.on('file', (_field, stream, info) => {
        const f = { name: info.filename ?? '', mimeType: info.mimeType, chunks: [] as Buffer[], size: 0, truncated: false };
        file = f;
        stream.on('data', (chunk: Buffer) => {
          f.size += chunk.length;
          f.chunks.push(chunk);
        });
        stream.on('limit', () => {
          f.truncated = true;
          fail(new UploadError(413, ErrorCode.ArgsError, `file too large: the limit is ${max} bytes (upload_max_bytes)`));
        });
      });
      form.on('error', (err: Error) => fail(new UploadError(400, ErrorCode.ArgsError, `unreadable multipart form: ${err.message}`)));
      form.on('close', () => {
        if (failed) return;
        const token = fields.get('token') || headerToken(req);
        if (!file || file.size === 0) return fail(new UploadError(400, ErrorCode.ArgsError, 'no file in the form: post it as a file part (wx.uploadFile filePath / name)'));
        if (!token) return fail(new UploadError(401, ErrorCode.ArgsError, 'token missing: send the user\'s OpenIM token as a "token" form field or header'));
        const fileName = safeFileName(fields.get('fileName') || file.name);
        resolve({ token, operationID: fields.get('operationID') || randomUUID(), fileName, contentType: contentTypeOf(fileName, fields.get('contentType') || file.mimeType), bytes: Buffer.concat(file.chunks) });
      });
      req.pipe(form);
    });
  }

  /** OpenIM's object upload, as the jssdk's internalUploadFile does it; answers the file's URL. */
  private async upload(p: Posted): Promise<string> {
    const name = `${tokenUserID(p.token)}/${randomUUID()}/${p.fileName}`;
    const { size: partSize } = await this.call<{ size: number }>('/object/part_size', { size: p.bytes.length }, p);
    if (!(partSize > 0)) throw new Error(`/object/part_size answered ${String(partSize)}`);
    const parts: Buffer[] = [];
    for (let at = 0; at < p.bytes.length; at += partSize) parts.push(p.bytes.subarray(at, Math.min(at + partSize, p.bytes.length)));
    const partHashes = parts.map((b) => md5(b));
    const initiated = await this.call<InitiateAnswer>(
      '/object/initiate_multipart_upload',
      { hash: md5(partHashes.join(',')), size: p.bytes.length, partSize, maxParts: -1, cause: '', name, contentType: p.contentType },
      p,
    );
    // The server already holds these bytes: it answers their URL at once.
    if (initiated.url) return initiated.url;
    const { upload } = initiated;
    for (let i = 0; i < parts.length; i++) {
      const part = upload.sign.parts[i];
      const target = new URL(part?.url || upload.sign.url);
      for (const q of [...(upload.sign.query ?? []), ...(part?.query ?? [])]) target.searchParams.set(q.key, q.values[0] ?? '');
      const headers = new Headers();
      for (const h of [...(upload.sign.header ?? []), ...(part?.header ?? [])]) headers.set(h.key, h.values[0] ?? '');
      headers.set('Content-Type', p.contentType);
      const put = await fetch(target, { method: 'PUT', headers, body: new Uint8Array(parts[i]!), signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
      await put.arrayBuffer();
      if (!put.ok) throw new Error(`part ${i + 1} of ${parts.length}: the object store answered HTTP ${put.status}`);
    }
    const done = await this.call<{ url: string }>('/object/complete_multipart_upload', { uploadID: upload.uploadID, parts: partHashes, cause: '', name, contentType: p.contentType }, p);
    return done.url;
  }

  private async call<T>(path: string, body: unknown, p: Posted): Promise<T> {
    const res = await fetch(this.apiBase + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', token: p.token, operationID: p.operationID },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
    const text = await res.text();
    let env: { errCode?: number; errMsg?: string; errDlt?: string; data?: T };
    try {
      env = JSON.parse(text) as typeof env;
    } catch {
      throw new Error(`${path} answered HTTP ${res.status}, not JSON`);
    }
    const errCode = env.errCode ?? 0;
    if (errCode !== 0) throw new UploadError(isTokenError(errCode) ? 401 : 502, errCode, `${path}: ${env.errMsg ?? ''}${env.errDlt ? ` (${env.errDlt})` : ''}`);
    if (env.data === undefined) throw new Error(`${path} answered no data`);
    return env.data;
  }
}

type KeyValues = { key: string; values: string[] }[];
interface InitiateAnswer {
  url?: string;
  upload: { uploadID: string; sign: { url: string; query?: KeyValues; header?: KeyValues; parts: { partNumber: number; url: string; query?: KeyValues; header?: KeyValues }[] } };
}

function answer(res: ServerResponse, status: number, body: Answer, close = false): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json', ...(close ? { Connection: 'close' } : {}) }).end(JSON.stringify(body));
}

/** Registers POST /bridge/upload on the bridge's HTTP server. */
export function registerMiniProgramUpload(http: HttpServer, options: MiniProgramUploadOptions): void {
  http.routes.set(MINI_PROGRAM_UPLOAD_PATH, new MiniProgramUpload(http, options).handle);
}
