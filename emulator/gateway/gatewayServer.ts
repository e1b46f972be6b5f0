/**
 * The msg_gateway WebSocket server: handshake and token check as ws_server.go wsHandler,
 * multi-login policy on register, then one request loop per connection.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { ApiError } from '../api/contract';
import type { TokenService } from '../auth/tokenService';
import { MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK, WEB_PLATFORM_ID, WS_MAX_CONNECTIONS, WS_MAX_MESSAGE_BYTES } from '../config';
import { startKeepalive } from './keepalive';
import type { MultiLoginPolicy } from '../config';
import type { EmulatorProfile } from '../profile';
import { apiError, ErrCode } from '../errors';
import { envelope } from '../http/goJson';
import { GatewayConnection } from './connection';
import { decodeRequest } from './frames';
import { parseConnArgs } from './handshake';
import type { ConnArgs } from './handshake';
import type { ConnectionRegistry } from './registry';
import { runHandler } from './requestHandlers';
import { withOperationID } from '../operationContext';
import type { RequestHandler } from './requestHandlers';

export interface GatewayDeps {
  tokens: TokenService;
  registry: ConnectionRegistry;
  handlers: Map<number, RequestHandler>;
  multiLoginPolicy: MultiLoginPolicy;
  profile: EmulatorProfile;
  readTimeoutMs: number;
  pingPeriodMs: number;
}

const PING = 'ping';
const PONG = 'pong';

export class GatewayServer {
  readonly http: Server;
  private readonly wss: WebSocketServer;
  private nextConnID = 1;

  constructor(private readonly deps: GatewayDeps) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
    this.http = createServer((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('Bad Request');
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Closes every connection and the WebSocket server (the HTTP server is closed by the caller). */
  shutdown(): void {
    for (const conn of this.deps.registry.all()) conn.terminate();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const query = new URL(req.url ?? '/', 'http://gateway').searchParams;
    if (this.deps.registry.gatewayConnectionsOpen >= WS_MAX_CONNECTIONS) {
      // Checked before the arguments are parsed, so ShouldSendResp is false: plain HTTP.
      this.reject(req, socket, head, apiError(ErrCode.ConnOverMaxNumLimit, 'over max conn num limit'), false);
      return;
    }
    const parsed = parseConnArgs(query, this.deps.profile.connArgRules);
    if (!parsed.ok) {
      this.reject(req, socket, head, parsed.error, false);
      return;
    }
    const { args } = parsed;
    let claims: { UserID: string; PlatformID: number };
    try {
      claims = this.deps.tokens.parse(args.token);
    } catch (e) {
      this.reject(req, socket, head, e as ApiError, args.sendResponse);
      return;
    }
    // validateRespWithRequest: upgraded only from patch.13 (profile switch upgradeTokenMismatchError).
    const mismatch =
      claims.UserID !== args.sendID
        ? apiError(ErrCode.TokenInvalid, `token uid ${claims.UserID} != userID ${args.sendID}`)
        : claims.PlatformID !== args.platformID
          ? apiError(ErrCode.TokenInvalid, `token platform ${claims.PlatformID} != platformID ${args.platformID}`)
          : undefined;
    if (mismatch) {
      this.reject(req, socket, head, mismatch, args.sendResponse && this.deps.profile.upgradeTokenMismatchError);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, args));
  }

  /** handlerError: with isMsgResp the error goes out after an upgrade, otherwise as a plain HTTP reply. */
  private reject(req: IncomingMessage, socket: Duplex, head: Buffer, error: ApiError, sendResponse: boolean): void {
    const body = envelope(error.errCode, error.errMsg, error.errDlt, undefined, this.deps.profile);
    if (!sendResponse) {
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(body, () => ws.close());
    });
  }

  private accept(ws: WebSocket, args: ConnArgs): void {
    if (args.sendResponse) ws.send(envelope(0, '', '', undefined, this.deps.profile));
    const conn = new GatewayConnection(this.nextConnID++, args.sendID, args.platformID, args.token, ws);
    this.applyMultiLoginPolicy(conn);
    this.deps.registry.add(conn);
    const pingIntervalMs = args.platformID === WEB_PLATFORM_ID ? this.deps.pingPeriodMs : 0;
    const stopKeepalive = startKeepalive(ws, { readTimeoutMs: this.deps.readTimeoutMs, pingIntervalMs }, () => this.drop(conn, true));
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(conn, data, isBinary));
    ws.on('close', () => {
      stopKeepalive();
      conn.close();
      this.deps.registry.remove(conn);
    });
    ws.on('error', () => conn.close());
  }

  /** Unregisters at once (stats must not lag behind the peer seeing the close), then closes. */
  private drop(conn: GatewayConnection, abruptly = false): void {
    this.deps.registry.remove(conn);
    if (abruptly) conn.terminate();
    else conn.close();
  }

  /**
   * ws_server.go multiTerminalLoginChecker, policy 1 (AllLoginButSameTermKick): older
   * connections of the platform are kicked — from patch.8 (checkSameTokenFunc) only those with
   * another token — and InvalidateToken marks every other token of the platform kicked.
   */
  private applyMultiLoginPolicy(conn: GatewayConnection): void {
    if (this.deps.multiLoginPolicy !== MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK) return;
    const keepSameToken = this.deps.profile.keepSameTokenConnections;
    const old = this.deps.registry
      .connections(conn.userID)
      .filter((c) => c.platformID === conn.platformID && (!keepSameToken || c.token !== conn.token));
    for (const c of old) {
      this.deps.registry.remove(c);
      c.kick();
    }
    this.deps.tokens.kickPlatform(conn.userID, conn.platformID, conn.token);
  }

  private onFrame(conn: GatewayConnection, data: Buffer, isBinary: boolean): void {
    if (conn.isClosed) return;
    if (!isBinary) {
      this.onText(conn, data);
      return;
    }
    const req = decodeRequest(data);
    if (!req || req.sendID !== conn.userID) {
      this.drop(conn);
      return;
    }
    const handler = this.deps.handlers.get(req.reqIdentifier);
    if (!handler) {
      this.drop(conn);
      return;
    }
    const out = withOperationID(req.operationID, () => runHandler(handler, conn, req));
    conn.send({ reqIdentifier: req.reqIdentifier, msgIncr: req.msgIncr, operationID: req.operationID, errCode: out.errCode, errMsg: out.errMsg, data: out.data });
    if (out.closeAfter) this.drop(conn);
  }

  /** Text frames carry only the JSON heartbeat; anything else ends the connection. */
  private onText(conn: GatewayConnection, data: Buffer): void {
    let type: unknown;
    try {
      const v: unknown = JSON.parse(data.toString('utf8'));
      type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    } catch {
      this.drop(conn);
      return;
    }
    if (type === PING) {
      conn.heartbeats++;
      conn.sendText(JSON.stringify({ type: PONG, body: null }));
    } else if (type !== PONG) this.drop(conn);
  }
}
