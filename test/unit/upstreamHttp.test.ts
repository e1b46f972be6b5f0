/** The lean path every upstream REST call takes (the client SDK's fetch, the bridge's restPost), against a real local HTTP server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { upstreamFetch } from '../../core_func/upstream/upstreamHttp';
import { restPost } from '../../core_func/upstream/restClient';

let server: http.Server;
let base = '';
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/missing') return res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' }).end('no');
      if (req.url === '/empty') return res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' }).end(JSON.stringify({ errCode: 0, data: { got: body } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// Node's own fetch marks its requests; the lean path sends only what it was given.
const viaNodeFetch = (h: http.IncomingHttpHeaders) => h['sec-fetch-mode'] !== undefined;

describe('upstream HTTP', () => {
  it('sends the client SDK\'s JSON POSTs over the lean path and answers like a Response', async () => {
    const res = await upstreamFetch(`${base}/ok`, { method: 'POST', headers: { 'Content-Type': 'application/json', token: 't', operationID: 'op' }, body: '{"a":1}' });
    expect([res.ok, res.status, res.bodyUsed]).toEqual([true, 200, false]);
    expect(res.headers.get('x-echo')).toBe('yes');
    const copy = res.clone();
    expect(await res.json()).toEqual({ errCode: 0, data: { got: '{"a":1}' } });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError); // a body is read once, as with fetch
    expect(Buffer.from(await copy.arrayBuffer()).toString()).toBe('{"errCode":0,"data":{"got":"{\\"a\\":1}"}}');
    const s = seen.at(-1)!;
    expect(s.headers).toMatchObject({ token: 't', operationid: 'op', 'content-length': '7' });
    expect(viaNodeFetch(s.headers)).toBe(false);
  });

  it('sends protobuf bodies (Uint8Array) byte for byte', async () => {
    const bytes = new Uint8Array([104, 105, 0, 255]).subarray(0, 2);
    const res = await upstreamFetch(`${base}/ok`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: bytes });
    expect(await res.json()).toEqual({ errCode: 0, data: { got: 'hi' } });
  });

  it('keeps status and status text of failures, and bodiless statuses', async () => {
    const missing = await upstreamFetch(`${base}/missing`, { method: 'POST', body: '{}' });
    expect([missing.ok, missing.status, missing.statusText, await missing.text()]).toEqual([false, 404, 'Not Found', 'no']);
    const empty = await upstreamFetch(`${base}/empty`, { method: 'POST', body: '{}' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('leaves GETs and calls with an abort signal to Node\'s fetch', async () => {
    await upstreamFetch(`${base}/ok`);
    expect(viaNodeFetch(seen.at(-1)!.headers)).toBe(true);
    await upstreamFetch(`${base}/ok`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) });
    expect(viaNodeFetch(seen.at(-1)!.headers)).toBe(true);
  });

  it('fails like fetch when nothing listens', async () => {
    await expect(upstreamFetch('http://127.0.0.1:1/x', { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed');
  });

  it('carries the bridge\'s own REST calls (restPost) on the same path', async () => {
    expect(await restPost({ apiAddress: base, token: 'tk', operationID: 'op2' }, '/ok', { b: 2 })).toEqual({ got: '{"b":2}' });
    const s = seen.at(-1)!;
    expect(s.headers).toMatchObject({ token: 'tk', operationid: 'op2', 'content-type': 'application/json' });
    expect(viaNodeFetch(s.headers)).toBe(false);
  });

  it('changes no global of the process', () => {
    expect(globalThis.fetch).not.toBe(upstreamFetch);
    expect(globalThis.fetch.name).toBe('fetch');
  });
});
