/**
 * An HTTP relay in front of the emulator's REST API that forwards every request unchanged and
 * records its path and JSON body, so a test sees which calls the bridge made.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  readonly path: string;
  readonly body: unknown;
}

export interface RecordingRelay {
  readonly server: http.Server;
  readonly calls: RecordedCall[];
  /** The recorded paths, in order. */
  paths(): string[];
  /** Paths answered with an OpenIM error (errCode 500) instead of being forwarded. */
  readonly failing: Set<string>;
  setTarget(target: string): void;
  address(): string;
  listen(): Promise<void>;
  close(): Promise<void>;
}

function parsed(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function recordingRelay(): RecordingRelay {
  const calls: RecordedCall[] = [];
  const failing = new Set<string>();
  let target = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0]!;
      calls.push({ path, body: parsed(raw) });
      if (failing.has(path)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errCode: 500, errMsg: 'injected by the recording relay', errDlt: '' }));
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      fetch(target + (req.url ?? ''), { method: req.method, headers: headers as Record<string, string>, body: req.method === 'POST' ? raw : undefined }).then(
        async (up) => {
          const body = Buffer.from(await up.arrayBuffer());
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
          res.end(body);
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
  });
  return {
    server,
    calls,
    failing,
    paths: () => calls.map((c) => c.path),
    setTarget: (t) => (target = t),
    address: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    listen: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
