/** TLS: with a certificate and key the bridge serves wss:// and tls:// (TCP), and the client speaks both. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { BridgeClient } from '../../client';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';

const OPENSSL = ['/usr/bin/openssl', '/bin/openssl'].find((p) => fs.existsSync(p));
const maybe = OPENSSL ? describe : describe.skip;

maybe('TLS', () => {
  let fx: BridgeFixture;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-tls-'));
  beforeAll(async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(OPENSSL!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    fx = await startBridgeFixture({ tlsCert: cert, tlsKey: key, tcpPort: 0 });
  });
  afterAll(async () => {
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves wss:// with the InitSDK greeting and https:// endpoints', async () => {
    expect(fx.bridge.wsAddress).toMatch(/^wss:\/\//);
    const first = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${fx.bridge.wsAddress}/?sendID=u&token=t&platformID=5&operationID=tls-op`, { rejectUnauthorized: false });
      // The greeting answers the client's first frame, in its kind.
      ws.once('open', () => ws.send(JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: 'first', userID: '', data: '[]' })));
      ws.once('message', (d) => {
        resolve(d.toString());
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(JSON.parse(first)).toMatchObject({ event: 'InitSDK', operationID: 'tls-op' });
    const health = await new Promise<string>((resolve, reject) => {
      https.get(`${fx.bridge.httpAddress}/healthz`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(fx.bridge.httpAddress).toMatch(/^https:\/\//);
    expect(JSON.parse(health)).toEqual({ status: 'ok' });
  });

  it('logs a client in over tls:// (TCP)', async () => {
    expect(fx.bridge.tcpAddress).toMatch(/^tls:\/\//);
    const [u] = (await fx.newUsers('tls', 1)) as [string];
    const token = await fx.tokenFor(u);
    const overTcp = await BridgeClient.connect({ address: fx.bridge.tcpAddress!, userID: u, token, codec: 'msgpack', reconnect: false });
    expect(await overTcp.call('GetSelfUserInfo')).toMatchObject({ userID: u });
    overTcp.close();
  });
});
