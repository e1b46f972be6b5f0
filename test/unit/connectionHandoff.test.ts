/** The pure parts of handing connections between processes: the request as sent, the route key, the pick. */
import http from 'node:http';
import net from 'node:net';
import { pickIndex, rawRequest, routeKey } from '../../network/connectionHandoff';

describe('rawRequest', () => {
  it('rebuilds an upgrade request that a second HTTP server parses to the same request', async () => {
    const first = http.createServer();
    const second = http.createServer();
    const seen = new Promise<{ url?: string; headers: http.IncomingHttpHeaders; head: string }>((resolve) =>
      second.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        resolve({ url: req.url, headers: req.headers, head: head.toString() });
        socket.destroy();
      }),
    );
    first.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      // Feed the rebuilt bytes to the second server through a fresh socket pair.
      const relay = net.connect((second.address() as net.AddressInfo).port, '127.0.0.1', () => relay.end(rawRequest(req, head)));
      socket.destroy();
    });
    await new Promise<void>((r) => first.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
    try {
      const client = net.connect((first.address() as net.AddressInfo).port, '127.0.0.1');
      client.on('error', () => undefined);
      client.write('GET /?sendID=u%201&token=t HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Multi: a\r\nX-Multi: b\r\n\r\nEXTRA');
      const got = await seen;
      expect(got).toMatchObject({ url: '/?sendID=u%201&token=t', head: 'EXTRA' });
      expect(got.headers).toMatchObject({ host: 'x', upgrade: 'websocket', 'x-multi': 'a, b' });
      client.destroy();
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('routeKey and pickIndex', () => {
  it('reads the parameter from a request target or a handshake line', () => {
    expect(routeKey('/?sendID=u%201&token=t', 'sendID')).toBe('u 1');
    expect(routeKey('sendID=abc&platformID=5', 'sendID')).toBe('abc');
    expect(routeKey('/?token=t', 'sendID')).toBeUndefined();
  });

  it('always picks the same index for a key and spreads keys over all indexes', () => {
    expect(pickIndex('alice', 4)).toBe(pickIndex('alice', 4));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i++) counts[pickIndex(`user${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(pickIndex('anything', 1)).toBe(0);
  });
});
