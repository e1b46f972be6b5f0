/**
 * Pictures from mini-programs: a jssdk in mini-program mode (wx.connectSocket, no File, no
 * fetch in its world) posts a picture to /bridge/upload as wx.uploadFile would, gets a URL,
 * sends it with createImageMessageByURL, and its peer downloads the very same bytes from the
 * URL in the message it received. The bridge did OpenIM's multipart object upload (two parts:
 * the picture is larger than the emulator's 5 MiB part size). Too big, a bad or missing token
 * and a missing file get clear errors.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MessageItem } from 'open-im-sdk';
import { bridgeSuite } from '../support/bridge';
import { createJssdk, jssdkLogin } from '../support/jssdk';
import { wxUploadFile } from '../support/wxUploadFile';

const MAX = 8 * 1024 * 1024;
const MINI_WEB = 6;
const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Answer = { errCode: number; errMsg: string; data?: { url: string; name: string; size: number; contentType: string } };

const picture = (size: number) => Buffer.concat([PNG_HEADER, randomBytes(size - PNG_HEADER.length)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Uploads from mini-programs (/bridge/upload)', () => {
  const suite = bridgeSuite({ uploadMaxBytes: MAX });
  const uploadUrl = () => `${suite.fx.bridge.httpAddress}/bridge/upload`;

  it('takes a wx.uploadFile post, and the peer downloads the same bytes from the image message it gets', async () => {
    const [a, b] = (await suite.fx.newUsers('mpu', 2)) as [string, string];
    const token = await suite.fx.tokenFor(a, MINI_WEB);
    const mini = suite.track(createJssdk(a, 'wx'));
    await jssdkLogin(mini, { token, wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.bridge.httpAddress, platformID: MINI_WEB });
    await mini.events.waitFor('OnSyncServerFinish');
    const peer = await suite.login(b);

    const bytes = picture(6 * 1024 * 1024 + 12_345);
    const res = await wxUploadFile({ url: uploadUrl(), filePath: 'wxfile://tmp_5d1c7a9e0b.png', bytes, name: 'file', formData: { token, operationID: 'op-upload-1' } });
    expect(res.statusCode).toBe(200);
    const answer = JSON.parse(res.data) as Answer;
    expect(answer).toMatchObject({ errCode: 0, errMsg: '', data: { name: 'tmp_5d1c7a9e0b.png', size: bytes.length, contentType: 'image/png' } });
    const url = answer.data!.url;
    // A URL on the bridge's own origin: the mini-program's downloadFile domain list needs only the bridge.
    expect(url.startsWith(`${suite.fx.bridge.httpAddress}/bridge/object/get?u=`)).toBe(true);

    const info = { uuid: 'mp-1', type: 'image/png', size: bytes.length, width: 640, height: 480, url };
    const message = (await mini.sdk.createImageMessageByURL({ sourcePath: 'wxfile://tmp_5d1c7a9e0b.png', sourcePicture: info, bigPicture: info, snapshotPicture: { ...info, uuid: 'mp-1s' } })).data;
    const mark = peer.events.mark();
    expect((await mini.sdk.sendMessage({ recvID: b, groupID: '', message })).errCode).toBe(0);
    const got = await peer.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === message.clientMsgID), 15_000, mark);
    const received = (got.data as MessageItem[]).find((m) => m.clientMsgID === message.clientMsgID)!;
    expect(received.contentType).toBe(102);
    const download = await fetch(received.pictureElem.sourcePicture.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    const downloaded = Buffer.from(await download.arrayBuffer());
    expect(downloaded.length).toBe(bytes.length);
    expect(sha(downloaded)).toBe(sha(bytes));
  }, 60_000);

  it('takes the token from a header too (uni.uploadFile header), and any file field name', async () => {
    const [a] = (await suite.fx.newUsers('mph', 1)) as [string];
    const bytes = picture(20_000);
    const res = await wxUploadFile({ url: uploadUrl(), filePath: '_doc/uniapp_temp/photo.jpg', bytes, name: 'image', header: { token: await suite.fx.tokenFor(a, MINI_WEB) } });
    const answer = JSON.parse(res.data) as Answer;
    expect(res.statusCode).toBe(200);
    expect(answer.data).toMatchObject({ name: 'photo.jpg', size: 20_000, contentType: 'image/jpeg' });
    expect(sha(Buffer.from(await (await fetch(answer.data!.url)).arrayBuffer()))).toBe(sha(bytes));
  });

  it('refuses a file over upload_max_bytes with 413, naming the limit', async () => {
    const [a] = (await suite.fx.newUsers('mpb', 1)) as [string];
    const res = await wxUploadFile({ url: uploadUrl(), filePath: 'wxfile://tmp_big.png', bytes: picture(MAX + 1), name: 'file', formData: { token: await suite.fx.tokenFor(a, MINI_WEB) } });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.data)).toEqual({ errCode: 10001, errMsg: `file too large: the limit is ${MAX} bytes (upload_max_bytes)` });
  });

  it('answers a token OpenIM refuses with 401 and its token errCode, a missing one with 401', async () => {
    const [a] = (await suite.fx.newUsers('mpt', 1)) as [string];
    const token = await suite.fx.tokenFor(a, MINI_WEB);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.from('not the signature').toString('base64url')}`;
    const bad = await wxUploadFile({ url: uploadUrl(), filePath: 'wxfile://tmp_x.png', bytes: picture(1000), name: 'file', formData: { token: forged } });
    expect(bad.statusCode).toBe(401);
    const badAnswer = JSON.parse(bad.data) as Answer;
    expect(badAnswer.errCode).toBeGreaterThanOrEqual(1501);
    expect(badAnswer.errCode).toBeLessThanOrEqual(1507);
    expect(badAnswer.errMsg).toContain('/object/part_size');
    const missing = await wxUploadFile({ url: uploadUrl(), filePath: 'wxfile://tmp_x.png', bytes: picture(1000), name: 'file' });
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.data)).toEqual({ errCode: 10001, errMsg: 'token missing: send the user\'s OpenIM token as a "token" form field or header' });
  });

  it('answers a form without a file, and a body that is no form, with 400', async () => {
    const [a] = (await suite.fx.newUsers('mpf', 1)) as [string];
    const noFile = await wxUploadFile({ url: uploadUrl(), filePath: '', bytes: Buffer.alloc(0), name: 'file', formData: { token: await suite.fx.tokenFor(a, MINI_WEB) } });
    expect(noFile.statusCode).toBe(400);
    expect(JSON.parse(noFile.data)).toEqual({ errCode: 10001, errMsg: 'no file in the form: post it as a file part (wx.uploadFile filePath / name)' });
    const notForm = await fetch(uploadUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(notForm.status).toBe(400);
    expect(await notForm.json()).toEqual({ errCode: 10001, errMsg: 'expected a multipart/form-data body (wx.uploadFile / uni.uploadFile)' });
  });
});
