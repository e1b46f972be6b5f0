/**
 * The one HTTP(S) server of the bridge's port: WebSocket upgrades and plain HTTP endpoints
 * share it. Plain requests are routed by exact path through a Map.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

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
