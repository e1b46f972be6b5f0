/**
 * wx.uploadFile / uni.uploadFile as a mini-program runs them: a multipart/form-data POST whose
 * `formData` entries come first as plain fields and whose file (the `filePath` a chooseImage gave,
 * e.g. wxfile://tmp_….png) comes last under the part name `name`, with its base name as the
 * filename and application/octet-stream as its type; the success callback gets `statusCode`
 * and `data` as a string.
 */
import { randomBytes } from 'node:crypto';

export interface UploadFileOptions {
  readonly url: string;
  /** The temp path the platform gave the file; only its base name is sent. */
  readonly filePath: string;
  readonly bytes: Buffer;
  /** The file part's field name (wx.uploadFile `name`). */
  readonly name: string;
  readonly formData?: Record<string, string>;
  readonly header?: Record<string, string>;
}

export async function wxUploadFile(o: UploadFileOptions): Promise<{ statusCode: number; data: string }> {
  const boundary = `----WxFormBoundary${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(o.formData ?? {})) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (o.bytes.length > 0 || o.filePath) {
    const filename = o.filePath.replace(/^.*[\\/]/, '');
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${o.name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), o.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  const res = await fetch(o.url, { method: 'POST', headers: { ...o.header, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) }, body: new Uint8Array(body) });
  return { statusCode: res.status, data: await res.text() };
}
