/**
 * The upstream HTTP client's connections (upstreamPost over http1/): keep-alive reuse, what the
 * server may do to a socket, timeouts, the socket limit; against real local servers, a raw
 * `net` one for replies node's http server would not send.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { UPSTREAM_HTTP_MAX_SOCKETS, upstreamPost, upstreamSockets } from '../../core_func/upstream/upstreamHttp';
import { waitUntil } from '../support/wait';

interface Served {
  readonly url: URL;
  /** Connections the server accepted. */
  connections: number;
  /** Most connections open at once. */
  peak: number;
}

const servers: { server: http.Server | net.Server; sockets: Set<net.Socket> }[] = [];
afterEach(async () => {
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

/** Counts the connections of a listening server. */
async function listen(server: http.Server | net.Server): Promise<Served> {
  const sockets = new Set<net.Socket>();
  servers.push({ server, sockets });
  let open = 0;
  const served: Served = {
    url: new URL('http://127.0.0.1/'),
    connections: 0,
    peak: 0,
  };
  server.on('connection', (socket: net.Socket) => {
    served.connections++;
    served.peak = Math.max(served.peak, ++open);
    sockets.add(socket);
    socket.on('close', () => {
      open--;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  served.url.port = String((server.address() as AddressInfo).port);
  return served;
}

const httpServer = (handler: http.RequestListener) => listen(http.createServer(handler));

/** A raw server: `reply` gets each complete request (head and Content-Length body) and its socket. */
function rawServer(reply: (socket: net.Socket, request: string, n: number) => void): Promise<Served> {
  let n = 0;
  return listen(
    net.createServer((socket) => {
      let buf = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          const request = buf.slice(0, end + 4 + length);
          buf = buf.slice(request.length);
          reply(socket, request, n++);
        }
      });
    }),
  );
}

const json = (res: http.ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const post = (url: URL, body = '{}', timeoutMs?: number) => upstreamPost(url, { 'Content-Type': 'application/json', token: 't' }, Buffer.from(body), timeoutMs);
const causeOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (err: Error) => {
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe('fetch failed');
      return err.cause as Error & { code?: string };
    },
  );

describe('upstream HTTP connections', () => {
  it('sends one well-formed request and reads a Content-Length reply', async () => {
    let raw = '';
    const s = await rawServer((socket, request) => {
      raw = request;
      socket.write('HTTP/1.1 201 Created Here\r\nContent-Length: 8\r\nX-One: 1\r\n\r\n{"a":1}\n');
    });
    const reply = await upstreamPost(new URL('/api/x?y=1', s.url), { token: 'tk', operationID: 'op' }, Buffer.from('héllo'));
    expect([reply.status, reply.statusText, reply.headers['x-one'], reply.body.toString()]).toEqual([201, 'Created Here', '1', '{"a":1}\n']);
    expect(raw).toBe(`POST /api/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:${s.url.port}\r\ntoken: tk\r\noperationID: op\r\nContent-Length: 6\r\n\r\nhéllo`.replace('héllo', Buffer.from('héllo').toString('latin1')));
  });

  it('refuses headers that would break the request, as http.request does', async () => {
    await expect(upstreamPost(new URL('http://127.0.0.1:1/'), { token: 'a\r\nX-Injected: 1' }, undefined)).rejects.toThrow('Invalid character in header content ["token"]');
  });

  it('reads a chunked reply written in several parts, trailer included', async () => {
    const s = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-sum' });
      res.write('first,', () => res.write('second,', () => {
        res.addTrailers({ 'x-sum': '3' });
        res.end('third');
      }));
    });
    const reply = await post(s.url);
    expect([reply.headers['transfer-encoding'], reply.body.toString()]).toEqual(['chunked', 'first,second,third']);
    expect((await post(s.url)).body.toString()).toBe('first,second,third');
    expect(s.connections).toBe(1);
  });

  it('reads 1 MiB bodies, with a length and chunked', async () => {
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const s = await httpServer((req, res) => {
      if (req.url === '/length') res.writeHead(200, { 'content-length': big.length }).end(big);
      else {
        res.write(big.subarray(0, 300_000));
        res.end(big.subarray(300_000));
      }
    });
    const withLength = await post(new URL('/length', s.url));
    const chunked = await post(new URL('/chunked', s.url));
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect([withLength.body.equals(big), chunked.body.equals(big)]).toEqual([true, true]);
  });

  it('keeps one connection alive for sequential calls', async () => {
    const s = await httpServer((req, res) => json(res, { n: req.url }));
    for (let i = 0; i < 5; i++) expect((await post(new URL(`/${i}`, s.url))).body.toString()).toBe(`{"n":"/${i}"}`);
    expect(s.connections).toBe(1);
    expect(upstreamSockets(s.url)).toEqual({ open: 1, idle: 1 });
  });

  it('opens a new connection after a reply with Connection: close', async () => {
    const s = await httpServer((_req, res) => {
      res.setHeader('connection', 'close');
      json(res, { ok: 1 });
    });
    expect((await post(s.url)).status).toBe(200);
    expect((await post(s.url)).status).toBe(200);
    expect(s.connections).toBe(2);
  });

  it('opens a new connection when the server closed the idle one', async () => {
    const server = http.createServer((_req, res) => json(res, { ok: 1 }));
    const s = await listen(server);
    expect((await post(s.url)).status).toBe(200);
    server.closeIdleConnections();
    await waitUntil(() => upstreamSockets(s.url).open === 0, 'the client to drop the closed socket');
    expect((await post(s.url)).status).toBe(200);
    expect(s.connections).toBe(2);
  });

  it('does not reuse a socket past the server\'s Keep-Alive timeout', async () => {
    const s = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=3\r\nContent-Length: 2\r\n\r\nok'));
    await post(s.url);
    await post(s.url);
    expect(s.connections).toBe(1);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 2_500); // past 3 s less the margin
    try {
      expect((await post(s.url)).body.toString()).toBe('ok');
    } finally {
      clock.mockRestore();
    }
    expect(s.connections).toBe(2);
  });

  it('does not keep a socket the server allows one second of idling', async () => {
    const s = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok'));
    await post(s.url);
    await post(s.url);
    expect(s.connections).toBe(2);
  });

  it('fails only the call whose reply is cut off; the next one gets a new connection', async () => {
    const s = await rawServer((socket, _req, n) => {
      if (n === 0) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const cause = await causeOf(post(s.url));
    expect(cause.message).toBe('upstream closed the connection mid-reply');
    expect((await post(s.url)).body.toString()).toBe('ok');
    expect(s.connections).toBe(2);
  });

  it('fails a call whose connection is reset before any reply', async () => {
    const s = await rawServer((socket) => socket.resetAndDestroy());
    const cause = await causeOf(post(s.url));
    expect(cause.code).toBe('ECONNRESET');
  });

  it('reads a reply without length up to the close', async () => {
    const s = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil ');
      socket.end('the end');
    });
    expect((await post(s.url)).body.toString()).toBe('until the end');
    expect((await post(s.url)).body.toString()).toBe('until the end');
    expect(s.connections).toBe(2);
  });

  it('skips interim replies and keeps their headers out', async () => {
    const s = await rawServer((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write('HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone'));
    });
    const reply = await post(s.url);
    expect([reply.status, reply.headers.link, reply.body.toString()]).toEqual([200, undefined, 'done']);
    expect((await post(s.url)).status).toBe(200);
    expect(s.connections).toBe(1);
  });

  it('lower-cases header names, joins duplicates and keeps Set-Cookie a list', async () => {
    const s = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nX-Dup: a\r\nX-DUP: b\r\nSet-Cookie: s=1\r\nSet-Cookie: t=2\r\nContent-Length: 0\r\n\r\n'),
    );
    const reply = await post(s.url);
    expect({ ...reply.headers }).toEqual({ 'x-dup': 'a, b', 'set-cookie': ['s=1', 't=2'], 'content-length': '0' });
  });

  it('answers 204 without a body and reuses the connection', async () => {
    const s = await httpServer((_req, res) => res.writeHead(204).end());
    expect((await post(s.url)).body.length).toBe(0);
    expect((await post(s.url)).status).toBe(204);
    expect(s.connections).toBe(1);
  });

  it('refuses a reply head over the size limit', async () => {
    const s = await rawServer((socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`));
    const cause = await causeOf(post(s.url));
    expect(cause.message).toBe('reply head longer than 65536 bytes');
  });

  it('fails a call not answered in time, then drops its socket', async () => {
    const s = await rawServer(() => {});
    const started = Date.now();
    const cause = await causeOf(post(s.url, '{}', 150));
    expect(cause.message).toBe('upstream did not answer within 150 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await waitUntil(() => upstreamSockets(s.url).open === 0, 'the socket to close');
  });

  it('fails like fetch when the port refuses connections', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const cause = await causeOf(post(new URL(`http://127.0.0.1:${port}/`)));
    expect(cause.code).toBe('ECONNREFUSED');
  });

  it(`opens at most ${UPSTREAM_HTTP_MAX_SOCKETS} sockets and queues the rest`, async () => {
    const held: (() => void)[] = [];
    let released = false;
    const s = await httpServer((req, res) => {
      const answer = () => json(res, { url: req.url });
      if (released) return answer();
      // Hold the first requests until the limit is reached, so that every socket is busy at once.
      held.push(answer);
      if (held.length === UPSTREAM_HTTP_MAX_SOCKETS) {
        released = true;
        for (const a of held) a();
      }
    });
    const calls = Array.from({ length: 300 }, (_, i) => post(new URL(`/${i}`, s.url)));
    const replies = await Promise.all(calls);
    expect(replies.map((r) => JSON.parse(r.body.toString()).url)).toEqual(Array.from({ length: 300 }, (_, i) => `/${i}`));
    expect([s.connections, s.peak]).toEqual([UPSTREAM_HTTP_MAX_SOCKETS, UPSTREAM_HTTP_MAX_SOCKETS]);
  });
});
