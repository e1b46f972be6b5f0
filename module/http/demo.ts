/**
 * The demo chat page and, with the embedded emulator only, the endpoint that gives it tokens.
 * The page (`web/`) runs open-im-sdk 3.5.2's own browser bundle, served from node_modules, and
 * talks to nothing but the bridge's origin: `wsAddr` and `apiAddr` both point at the bridge.
 * `POST /demo/token {userID}` registers the user with the emulator's admin REST API and mints a
 * token for anyone who asks — which is why it is never registered in front of a real OpenIM.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../../network/httpServer';
import type { Logger } from '../../common/logger';

export interface DemoOptions {
  /** Serve the chat page at `/` and its files under `/demo/`. */
  readonly page: boolean;
  /** Admin secret of the embedded emulator; when set, `POST /demo/token` exists. Never set for a real server. */
  readonly emulatorSecret?: string;
}

export type DemoMode = 'auto' | 'on' | 'off';

/** `auto` serves the page only in front of the embedded emulator; the token endpoint never exists without it. */
export function demoOptionsFor(mode: DemoMode, embeddedEmulator: { readonly secret: string } | undefined): DemoOptions | undefined {
  const page = mode === 'on' || (mode === 'auto' && embeddedEmulator !== undefined);
  if (!page) return undefined;
  return { page, emulatorSecret: embeddedEmulator?.secret };
}

export const DEMO_TOKEN_PATH = '/demo/token';
/** The jssdk's platform for browsers (Web). */
const WEB_PLATFORM_ID = 5;
const ADMIN_USER_ID = 'imAdmin';
const MAX_BODY_BYTES = 1024;
const UPSTREAM_TIMEOUT_MS = 10_000;
/** OpenIM's RegisteredAlreadyError: a user asking twice keeps their account. */
const REGISTERED_ALREADY = 1102;
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

/** The page's files: route → file under web/ (or the jssdk bundle) and its content type. */
const PAGE_FILES: ReadonlyArray<readonly [route: string, file: string, type: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/demo/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/demo/app.css', 'app.css', 'text/css; charset=utf-8'],
];
const SDK_ROUTE = '/demo/open-im-sdk.js';
/** The page loads only its own files and talks only to its origin; pictures may live elsewhere (object storage). */
const PAGE_CSP = "default-src 'self'; img-src * data: blob:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The repository root: the nearest folder with package.json (works from sources and from dist/). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** open-im-sdk's UMD bundle (`window.openImSdk`); its package exports do not list it, so it is found beside `main`. */
function sdkBundlePath(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('open-im-sdk')), 'index.umd.js');
  } catch {
    return undefined; // a production install without dev dependencies
  }
}

function serveFile(file: string | undefined, type: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!file || !fs.existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('the demo page needs open-im-sdk (npm install without --omit=dev)\n');
      return;
    }
    const body = fs.readFileSync(file);
    const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new RangeError('body too large');
  }
  return text;
}

class OpenIMAdminError extends Error {
  constructor(
    readonly errCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Mints tokens through the emulator's admin REST API, as an operator's backend would. */
class DemoTokens {
  private adminToken: Promise<string> | undefined;
  private operation = 0;

  constructor(
    private readonly apiAddress: string,
    private readonly secret: string,
  ) {}

  private async post<T>(route: string, token: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', operationID: `demo-${Date.now()}-${++this.operation}` };
    if (token) headers.token = token;
    const res = await fetch(this.apiAddress + route, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
    const env = (await res.json()) as { errCode?: number; errMsg?: string; data?: T };
    if (env.errCode !== 0) throw new OpenIMAdminError(env.errCode ?? -1, `${route}: ${env.errCode} ${env.errMsg ?? ''}`);
    return env.data as T;
  }

  private admin(): Promise<string> {
    this.adminToken ??= this.post<{ token: string }>('/auth/get_admin_token', '', { secret: this.secret, userID: ADMIN_USER_ID }).then(
      (d) => d.token,
      (err: unknown) => {
        this.adminToken = undefined;
        throw err;
      },
    );
    return this.adminToken;
  }

  async tokenFor(userID: string): Promise<string> {
    const admin = await this.admin();
    try {
      await this.post('/user/user_register', admin, { users: [{ userID, nickname: userID, faceURL: '' }] });
    } catch (err) {
      if (!(err instanceof OpenIMAdminError && err.errCode === REGISTERED_ALREADY)) throw err;
    }
    return (await this.post<{ token: string }>('/auth/get_user_token', admin, { userID, platformID: WEB_PLATFORM_ID })).token;
  }
}

/** The bridge's own origin as the browser reached it, so the page works by IP, name or localhost alike. */
function originOf(req: IncomingMessage, tls: boolean): { http: string; ws: string } {
  const host = req.headers.host ?? 'localhost';
  return { http: `http${tls ? 's' : ''}://${host}`, ws: `ws${tls ? 's' : ''}://${host}` };
}

export function registerDemo(http: HttpServer, options: DemoOptions & { readonly apiAddress: string; readonly logger: Logger }): void {
  if (options.page) {
    const web = path.join(packageRoot(), 'web');
    for (const [route, file, type] of PAGE_FILES) http.routes.set(route, serveFile(path.join(web, file), type));
    http.routes.set(SDK_ROUTE, serveFile(sdkBundlePath(), 'text/javascript; charset=utf-8'));
  }
  if (options.emulatorSecret === undefined) return;
  options.logger.warn(`demo token endpoint ${DEMO_TOKEN_PATH} is on: whoever reaches the bridge can log in as any user (embedded emulator only)`);
  const tokens = new DemoTokens(options.apiAddress, options.emulatorSecret);
  http.routes.set(DEMO_TOKEN_PATH, async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    let userID: unknown;
    try {
      userID = (JSON.parse(await readBody(req)) as { userID?: unknown }).userID;
    } catch {
      sendJson(res, 400, { error: 'expected a JSON body {"userID": "..."} of at most 1 KiB' });
      return;
    }
    if (typeof userID !== 'string' || !USER_ID.test(userID)) {
      sendJson(res, 400, { error: 'userID: 1 to 64 letters, digits or _ . @ -' });
      return;
    }
    try {
      const token = await tokens.tokenFor(userID);
      const origin = originOf(req, http.isTls);
      sendJson(res, 200, { userID, token, wsAddr: origin.ws, apiAddr: origin.http });
    } catch (err) {
      options.logger.warn({ err: (err as Error).message }, 'demo token failed');
      sendJson(res, 502, { error: (err as Error).message });
    }
  });
}
