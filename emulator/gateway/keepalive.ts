/**
 * The gateway's liveness rules (client_conn.go): every data message must come within pongWait of
 * the previous one or the connection is dropped, and web clients get a WebSocket ping every
 * pingPeriod. readMessage sets the read deadline before each ReadMessage, and gorilla's
 * ReadMessage answers ping and pong frames inside without returning (pongHandler does nothing):
 * control frames never move the deadline, so only the client's heartbeat requests keep it alive.
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
  const pinger = timings.pingIntervalMs > 0 ? setInterval(() => ws.ping(), timings.pingIntervalMs) : undefined;
  pinger?.unref();
  return () => {
    clearTimeout(deadline);
    if (pinger) clearInterval(pinger);
  };
}
