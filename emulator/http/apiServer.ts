/**
 * The REST API server: the real api service's middleware order (operationID header, then
 * token unless whitelisted), JSON or protobuf bodies, `{errCode, errMsg, errDlt, data}` replies.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError } from '../api/contract';
import type { ApiRequest, RouteTable } from '../api/contract';
import type { TokenService } from '../auth/tokenService';
import { HTTP_MAX_BODY_BYTES } from '../config';
import { apiError, argsError, ErrCode } from '../errors';
import { envelope, type GoJsonRules } from './goJson';
import { withOperationID } from '../operationContext';

/** Handles non-API traffic (object storage PUT/GET); returns false when the request is not its. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean;

export interface ApiServerDeps {
  tokens: TokenService;
  /** Routes that need a token. */
  routes: RouteTable;
  /** Routes on the real server's whitelist (no token). */
  publicRoutes: RouteTable;
  rawHandlers: RawHandler[];
  /** How replies are written (the profile's protocol release). */
  json: GoJsonRules;
}

const NOT_FOUND_BODY = '404 page not found';

function isProtobuf(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.includes('application/x-protobuf') || type.includes('application/protobuf');
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HTTP_MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

function sendJson(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown, rules: GoJsonRules): void {
  const e = err instanceof ApiError ? err : apiError(ErrCode.ServerInternal, err instanceof Error ? err.message : String(err));
  sendJson(res, envelope(e.errCode, e.errMsg, e.errDlt, undefined, rules));
}

/** mw.CorsHandler answers every origin; browsers uploading through /object need it. */
function setCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', '*');
  res.setHeader('Access-Control-Allow-Methods', 'POST, GET, PUT, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', '*');
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (isProtobuf(req)) return new Uint8Array(raw);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw argsError('EOF');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw argsError(e instanceof Error ? e.message : 'invalid json');
  }
}

export function createApiServer(deps: ApiServerDeps): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setCors(res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      sendError(res, argsError('request body too large'), deps.json);
      return;
    }
    for (const h of deps.rawHandlers) if (h(req, res, raw)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(NOT_FOUND_BODY);
      return;
    }
    const operationID = header(req, 'operationID');
    if (operationID === '') {
      sendError(res, argsError('header must have operationID'), deps.json);
      return;
    }
    const publicHandler = deps.publicRoutes.get(path);
    let opUserID = '';
    let opPlatformID = 0;
    if (!publicHandler) {
      const token = header(req, 'token');
      if (token === '') {
        sendError(res, argsError('header must have token'), deps.json);
        return;
      }
      try {
        const claims = deps.tokens.parse(token);
        opUserID = claims.UserID;
        opPlatformID = claims.PlatformID;
      } catch (e) {
        sendError(res, e, deps.json);
        return;
      }
    }
    const handler = publicHandler ?? deps.routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(NOT_FOUND_BODY);
      return;
    }
    try {
      const body = parseBody(req, raw);
      const apiReq: ApiRequest = { path, body, operationID, opUserID, opPlatformID, isAdmin: deps.tokens.isAdmin(opUserID) };
      const data = await withOperationID(operationID, () => handler(apiReq));
      sendJson(res, envelope(0, '', '', data, deps.json));
    } catch (e) {
      sendError(res, e, deps.json);
    }
  };
  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, e, deps.json);
      else res.destroy();
    });
  });
}
