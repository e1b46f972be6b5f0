/** A bare WebSocket client for protocol tests: send any bytes, read frames as parsed JSON. */
import WebSocket from 'ws';

export interface Frame {
  event: string;
  errCode: number;
  errMsg: string;
  data: string;
  operationID: string;
}

export interface RawClient {
  readonly ws: WebSocket;
  /** The connect URL's sendID. */
  readonly sendID: string;
  readonly frames: Frame[];
  /** The kind of every frame received, in order. */
  readonly kinds: ('text' | 'binary')[];
  send(data: string | Buffer): void;
  request(reqFuncName: string, operationID: string, args: unknown[]): void;
  next(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  closed(): Promise<{ code: number; reason: string }>;
  close(): void;
  /** Stops reading from the socket (TCP back-pressure builds up at the server). */
  pause(): void;
  resume(): void;
}

export function openRaw(url: string, headers?: Record<string, string>): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: Frame[] = [];
    const kinds: ('text' | 'binary')[] = [];
    const waiters: { p: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
    const closed = new Promise<{ code: number; reason: string }>((res) => ws.once('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      kinds.push(isBinary ? 'binary' : 'text');
      const f = JSON.parse(data.toString()) as Frame;
      frames.push(f);
      for (const w of [...waiters]) if (w.p(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.once('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body.trim()}`), { status: res.statusCode, body: body.trim() })));
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        sendID: new URL(url).searchParams.get('sendID') ?? '',
        frames,
        kinds,
        send: (d) => ws.send(d),
        request: (reqFuncName, operationID, args) => ws.send(JSON.stringify({ reqFuncName, operationID, userID: '', data: JSON.stringify(args) })),
        next(p, timeoutMs = 10_000) {
          const seen = frames.find(p);
          if (seen) {
            frames.splice(frames.indexOf(seen), 1);
            return Promise.resolve(seen);
          }
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
            waiters.push({
              p,
              resolve: (f) => {
                clearTimeout(t);
                frames.splice(frames.indexOf(f), 1);
                res(f);
              },
            });
          });
        },
        closed: () => closed,
        close: () => ws.close(),
        pause: () => (ws as unknown as { _socket: import('node:net').Socket })._socket.pause(),
        resume: () => (ws as unknown as { _socket: import('node:net').Socket })._socket.resume(),
      }),
    );
  });
}

/** The connect URL the jssdk builds. */
export function connectUrl(wsAddress: string, p: { sendID?: string; token?: string; platformID?: string | number; operationID?: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined) q.set(k, String(v));
  return `${wsAddress}/?${q.toString()}`;
}
