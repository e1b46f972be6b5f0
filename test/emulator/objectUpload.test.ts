import { createHash } from 'node:crypto';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { startTestServer } from '../support/emulator';
import type { TestServer } from '../support/emulator';

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

describe('object upload, as the client SDK does it', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await adminToken(server.apiAddress, server.secret);
    const userID = uniqueUserID('up');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    token = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
  });
  afterAll(() => server.close());

  it('uploads in parts and serves the bytes back with their content type', async () => {
    const bytes = Buffer.from('a small picture, pretend\n'.repeat(100));
    const { size: partSize } = await adminPost<{ size: number }>(server.apiAddress, token, '/object/part_size', { size: bytes.length });
    expect(partSize).toBeGreaterThan(0);
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += partSize) parts.push(bytes.subarray(i, i + partSize));
    const partHashes = parts.map((p) => md5(p));
    const init = await adminPost<{ upload: { uploadID: string; sign: { parts: Array<{ partNumber: number; url: string }> } } }>(
      server.apiAddress, token, '/object/initiate_multipart_upload',
      { hash: md5(partHashes.join(',')), size: bytes.length, partSize, maxParts: -1, cause: '', name: 'u/pic.png', contentType: 'image/png' });
    expect(init.upload.sign.parts).toHaveLength(parts.length);
    for (const [i, p] of init.upload.sign.parts.entries()) {
      const put = await fetch(p.url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(parts[i]) });
      expect(put.ok).toBe(true);
    }
    const done = await adminPost<{ url: string }>(server.apiAddress, token, '/object/complete_multipart_upload',
      { uploadID: init.upload.uploadID, parts: partHashes, cause: '', name: 'u/pic.png', contentType: 'image/png' });
    const got = await fetch(done.url);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses to complete when a part hash does not match', async () => {
    const bytes = Buffer.from('xyz');
    const init = await adminPost<{ upload: { uploadID: string; sign: { parts: Array<{ url: string }> } } }>(
      server.apiAddress, token, '/object/initiate_multipart_upload',
      { hash: md5(md5('other')), size: 3, partSize: 5242880, maxParts: -1, cause: '', name: 'u/x.txt', contentType: 'text/plain' });
    await fetch(init.upload.sign.parts[0].url, { method: 'PUT', body: new Uint8Array(bytes) });
    await expect(adminPost(server.apiAddress, token, '/object/complete_multipart_upload', { uploadID: init.upload.uploadID, parts: [md5('other')], name: 'u/x.txt' }))
      .rejects.toEqual(expect.objectContaining({ errCode: 1001 }));
  });
});
