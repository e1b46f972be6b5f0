/**
 * The gateway's liveness rules (client_conn.go): every read must come within pongWait of the
 * previous one or the connection is dropped, and web clients get a WebSocket ping every pingPeriod.
 */
import type WebSocket from 'ws';

export interface KeepaliveTimings {
  readTimeoutMs: number;
  /** 0: no server ping for this connection. */
  pingIntervalMs: number;
}

export function startKeepalive(ws: WebSocket, timings: KeepaliveTimings, onDead: () => void): () => void {
  let deadline = setTimeout(onDead, timings.readTimeoutMs);
  deadline.unref();
  const extend = (): void => {
    clearTimeout(deadline);
    deadline = setTimeout(onDead, timings.readTimeoutMs);
    deadline.unref();
  };
  ws.on('message', extend);
  ws.on('ping', extend);
  ws.on('pong', extend);
  const pinger = timings.pingIntervalMs > 0 ? setInterval(() => ws.ping(), timings.pingIntervalMs) : undefined;
  pinger?.unref();
  return () => {
    clearTimeout(deadline);
    if (pinger) clearInterval(pinger);
  };
}
