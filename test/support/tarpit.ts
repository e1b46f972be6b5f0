/** An HTTP server that accepts requests and never answers: an upstream API that hangs. */
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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pending: () => held.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
