/** An HTTP server that accepts requests and WebSocket upgrades and never answers: an upstream that hangs. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tarpit {
  readonly address: string;
  readonly pending: () => number;
  close(): Promise<void>;
}

export async function startTarpit(): Promise<Tarpit> {
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((_req, res) => {
    held.add(res);
    res.on('close', () => held.delete(res));
  });
  const upgrades = new Set<import('node:stream').Duplex>();
  server.on('upgrade', (_req, socket) => {
    upgrades.add(socket);
    socket.on('close', () => upgrades.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pending: () => held.size,
    close: () =>
      new Promise((resolve) => {
        for (const s of upgrades) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
