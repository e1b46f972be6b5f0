/**
 * In-memory object storage standing in for MinIO: multipart uploads whose parts are PUT to
 * URLs on the API port, and finished objects served back with their content type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export const PART_PUT_PREFIX = '/emulator-object-part/';
export const OBJECT_GET_PREFIX = '/object/';

interface Upload {
  name: string;
  hash: string;
  contentType: string;
  size: number;
  parts: Map<number, Buffer>;
}

export interface StoredObject {
  contentType: string;
  bytes: Buffer;
}

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

export class ObjectStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly objects = new Map<string, StoredObject>();

  begin(name: string, hash: string, contentType: string, size: number): string {
    const uploadID = randomBytes(16).toString('hex');
    this.uploads.set(uploadID, { name, hash, contentType, size, parts: new Map() });
    return uploadID;
  }

  /**
   * Joins the parts in order after the checks the real s3 layer makes: every part's md5 is the
   * hash the client lists, and md5 of those hashes joined by "," is the upload's hash.
   */
  complete(uploadID: string, partHashes: string[]): { ok: true; name: string } | { ok: false; reason: string } {
    const up = this.uploads.get(uploadID);
    if (!up) return { ok: false, reason: 'upload not found' };
    if (md5(partHashes.join(',')) !== up.hash) return { ok: false, reason: 'invalid hash' };
    const parts: Buffer[] = [];
    for (let i = 1; i <= partHashes.length; i++) {
      const p = up.parts.get(i);
      if (!p) return { ok: false, reason: `part ${i} not uploaded` };
      if (md5(p) !== partHashes[i - 1]) return { ok: false, reason: `part ${i} hash mismatch` };
      parts.push(p);
    }
    const bytes = Buffer.concat(parts);
    if (bytes.length !== up.size) return { ok: false, reason: 'size mismatch' };
    this.objects.set(up.name, { contentType: up.contentType, bytes });
    this.uploads.delete(uploadID);
    return { ok: true, name: up.name };
  }

  get(name: string): StoredObject | undefined {
    return this.objects.get(name);
  }

  /** PUT <prefix><uploadID>/<partNumber> stores a part; GET /object/<name> serves an object. */
  readonly rawHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer): boolean => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (req.method === 'PUT' && path.startsWith(PART_PUT_PREFIX)) {
      const [uploadID, partText] = path.slice(PART_PUT_PREFIX.length).split('/');
      const up = this.uploads.get(uploadID ?? '');
      const part = Number(partText);
      if (!up || !Number.isInteger(part) || part < 1) {
        res.writeHead(404);
        res.end();
        return true;
      }
      up.parts.set(part, body);
      res.writeHead(200, { ETag: `"${part}"` });
      res.end();
      return true;
    }
    if (req.method === 'GET' && path.startsWith(OBJECT_GET_PREFIX)) {
      const obj = this.objects.get(path.slice(OBJECT_GET_PREFIX.length));
      if (!obj) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found');
        return true;
      }
      res.writeHead(200, { 'Content-Type': obj.contentType, 'Content-Length': obj.bytes.length });
      res.end(obj.bytes);
      return true;
    }
    return false;
  };
}
