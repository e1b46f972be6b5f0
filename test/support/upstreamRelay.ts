/**
 * A TCP relay in front of an OpenIM gateway that counts the connections it is asked for and,
 * while `holding`, takes them and never answers (an upstream that hangs, as test/support/tarpit.ts)
 * instead of passing them on.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface UpstreamRelay {
  /** ws:// address to use as the bridge's openIM_ws_address. */
  readonly wsAddress: string;
  /** Hold new connections (true) or pass them to the gateway (false). */
  holding: boolean;
  /** Connections accepted so far, held or passed. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startUpstreamRelay(gatewayWsAddress: string): Promise<UpstreamRelay> {
  const target = new URL(gatewayWsAddress);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const relay = {
    holding: false,
    get connections() {
      return connections;
    },
  };
  const server = net.createServer((client) => {
    connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (relay.holding) return;
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(relay, {
    wsAddress: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
