/**
 * An HTTP relay in front of the OpenIM API that holds the requests to some paths until the test
 * lets them through: an API slow to answer exactly those lists, for as long as the test needs,
 * without a fixed sleep. Every other request is forwarded at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingRelay {
  /** Set once the target is known (the fixture's emulator). */
  setTarget(target: string): void;
  readonly address: () => string;
  /** Requests being held now. */
  readonly held: () => number;
  /** Lets every held request through, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingRelay(holdPaths: readonly string[]): Promise<HoldingRelay> {
  let target = '';
  let holding = true;
  const waiting: Array<() => void> = [];
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    fetch(target + (req.url ?? ''), { method: req.method, headers: headers as Record<string, string>, body: req.method === 'POST' ? new Uint8Array(body) : undefined }).then(
      async (up) => {
        const bytes = Buffer.from(await up.arrayBuffer());
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
        res.end(bytes);
      },
      () => {
        res.writeHead(502);
        res.end();
      },
    );
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const go = () => forward(req, res, Buffer.concat(chunks));
      if (holding && holdPaths.includes(path)) waiting.push(go);
      else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    setTarget: (t) => (target = t),
    address: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => waiting.length,
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
