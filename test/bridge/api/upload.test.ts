/**
 * Uploads through the bridge: with apiAddr = the bridge's HTTP address, the jssdk's own
 * uploadFile and create*MessageByFile reach OpenIM's object storage through the bridge only.
 */
import { randomBytes } from 'node:crypto';
import type { MessageItem } from 'open-im-sdk';
import { FILE_GET_PATH, PART_PUT_PATH, registerUploadProxy } from '../../../module/http/uploadProxy';
import { sendText, startSuite, type Suite } from './messageSupport';

/**
 * The jssdk hashes chunks with the browser's FileReader, which Node lacks; this is the one
 * method it uses. (Node 20 has File and Blob.)
 */
class NodeFileReader {
  onload: ((e: { target: { result: ArrayBuffer } }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    blob.arrayBuffer().then(
      (result) => this.onload?.({ target: { result } }),
      (err: unknown) => this.onerror?.(err),
    );
  }
}

const g = globalThis as { FileReader?: unknown };
const hadFileReader = 'FileReader' in g;

let s: Suite;

beforeAll(async () => {
  if (!hadFileReader) g.FileReader = NodeFileReader;
  s = await startSuite();
  registerUploadProxy(s.fx.bridge.http, { apiAddress: s.fx.server.apiAddress });
});
afterAll(async () => {
  await s.close();
  if (!hadFileReader) delete g.FileReader;
});

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('uploadFile through the bridge', () => {
  it('uploads a multi-part file whose URL, on the bridge, serves the same bytes', async () => {
    const [u] = await s.fx.newUsers('up', 1);
    const c = await s.login(u!);
    const bytes = randomBytes(5 * 1024 * 1024 + 123_457); // two parts of the server's 5 MiB part size
    const res = await c.sdk.uploadFile({ file: new File([bytes], 'big.bin'), name: 'big.bin', contentType: 'application/octet-stream' });
    expect(res.errCode).toBe(0);
    const url = res.data.url;
    expect(url.startsWith(`${s.fx.bridge.httpAddress}${FILE_GET_PATH}?u=`)).toBe(true);
    expect((await fetchBytes(url)).equals(bytes)).toBe(true);
  });

  it('createImageMessageByFile uploads the picture and the peer receives a message whose URLs load from the bridge', async () => {
    const [a, b] = (await s.fx.newUsers('ui', 2)) as [string, string];
    const ca = await s.login(a);
    const cb = await s.login(b);
    await sendText(ca, cb, 'picture coming');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2048)]);
    const info = (uuid: string, w: number) => ({ uuid, type: 'image/png', size: png.length, width: w, height: w, url: '' });
    const created = (
      await ca.sdk.createImageMessageByFile({
        sourcePath: 'cat.png',
        sourcePicture: info('src-uuid', 64),
        bigPicture: info('big-uuid', 64),
        snapshotPicture: info('snap-uuid', 32),
        file: new File([png], 'cat.png', { type: 'image/png' }),
      })
    ).data as MessageItem;
    expect(created.contentType).toBe(102);
    const url = created.pictureElem.sourcePicture.url;
    expect(url.startsWith(s.fx.bridge.httpAddress)).toBe(true);
    expect(created.pictureElem.snapshotPicture.url).toBe(`${url}?type=image&width=32&height=32`);

    const mark = cb.events.mark();
    await ca.sdk.sendMessage({ recvID: b, groupID: '', message: created });
    const got = await cb.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === created.clientMsgID), undefined, mark);
    const received = (got.data as MessageItem[]).find((m) => m.clientMsgID === created.clientMsgID)!;
    expect(received.pictureElem.sourcePicture).toMatchObject({ uuid: 'src-uuid', url, width: 64 });
    expect((await fetchBytes(received.pictureElem.sourcePicture.url)).equals(png)).toBe(true);
    expect((await fetchBytes(received.pictureElem.snapshotPicture.url)).equals(png)).toBe(true);
    const head = await fetch(url);
    expect(head.headers.get('content-type')).toBe('image/png');
    await head.arrayBuffer();
  });

  it('answers CORS preflights, and passes the server\'s error envelope through', async () => {
    const pre = await fetch(`${s.fx.bridge.httpAddress}/object/part_size`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Headers': 'token,operationid' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const res = await fetch(`${s.fx.bridge.httpAddress}/object/part_size`, { method: 'POST', headers: { token: 'not-a-token', operationID: 'op1' }, body: JSON.stringify({ size: 10 }) });
    const env = (await res.json()) as { errCode: number };
    expect(env.errCode).toBeGreaterThan(0);
    expect(env.errCode).not.toBe(10005);
  });

  it('refuses PUTs to targets it did not sign and GETs of other origins', async () => {
    const target = `${s.fx.server.apiAddress}/emulator-object-part/x/1`;
    const put = await fetch(`${s.fx.bridge.httpAddress}${PART_PUT_PATH}?u=${encodeURIComponent(target)}&s=forged`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);
    await put.arrayBuffer();
    const get = await fetch(`${s.fx.bridge.httpAddress}${FILE_GET_PATH}?u=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`);
    expect(get.status).toBe(403);
    await get.arrayBuffer();
  });
});
