/**
 * The one HTTP(S) server of the bridge's port: WebSocket upgrades and plain HTTP endpoints
 * share it. Plain requests are routed by exact path through a Map.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with an HTTP error (browsers then fail fast) and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

export class HttpServer {
  readonly routes = new Map<string, HttpHandler>();
  readonly server: http.Server;

  constructor(private readonly options: HttpServerOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.dispatch(req, res);
    this.server =
      options.tlsCert && options.tlsKey
        ? https.createServer({ cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }, handler)
        : http.createServer(handler);
  }

  get isTls(): boolean {
    return this.server instanceof https.Server;
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Serves a connection accepted by another process (see connectionHandoff.ts): `bytes` are
   * what that process already read from it, parsed before anything the socket brings next.
   */
  adopt(socket: Socket, bytes: Buffer): void {
    this.server.emit('connection', socket);
    if (bytes.length > 0) socket.emit('data', bytes);
    socket.resume();
  }

  /**
   * Stops listening and closes its own connections without waiting for the 'close' event:
   * once sockets were handed to another process that has exited, Node never reports the
   * server drained (its worker list is empty, so the count it raised is never reset).
   */
  closeNow(): void {
    this.server.close();
    this.server.closeAllConnections?.();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = this.routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    Promise.resolve(route(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  }
}
