/** /object/* routes the client SDK's uploadFile uses (internal/rpc/third s3). */
import type { RouteTable } from '../api/contract';
import { OBJECT_MAX_PARTS, OBJECT_PART_SIZE_BYTES } from '../config';
import { apiError, argsError, ErrCode } from '../errors';
import { asObject, optNumber, optString, optStringArray, reqString } from '../http/validate';
import { OBJECT_GET_PREFIX, PART_PUT_PREFIX } from './objectStore';
import type { ObjectStore } from './objectStore';

export interface ObjectRouteDeps {
  objects: ObjectStore;
  publicBase: () => string;
}

/** Upload sessions expire after a day, as the real s3 sign does. */
const UPLOAD_EXPIRE_MS = 24 * 3600 * 1000;

function partSizeFor(size: number): number {
  return Math.max(OBJECT_PART_SIZE_BYTES, Math.ceil(size / OBJECT_MAX_PARTS));
}

export function objectRoutes(deps: ObjectRouteDeps): RouteTable {
  const routes: RouteTable = new Map();
  const urlOf = (name: string): string => `${deps.publicBase()}${OBJECT_GET_PREFIX}${encodeURIComponent(name).replace(/%2F/g, '/')}`;

  routes.set('/object/part_limit', () => ({ minPartSize: OBJECT_PART_SIZE_BYTES, maxPartSize: 5 * 1024 * 1024 * 1024, maxNumSize: OBJECT_MAX_PARTS }));

  routes.set('/object/part_size', (req) => {
    const size = optNumber(asObject(req.body), 'size');
    if (size <= 0) throw argsError('size must be greater than 0');
    return { size: partSizeFor(size) };
  });

  routes.set('/object/initiate_multipart_upload', (req) => {
    const body = asObject(req.body);
    const name = reqString(body, 'name');
    const size = optNumber(body, 'size');
    const partSize = optNumber(body, 'partSize') || partSizeFor(size);
    const contentType = optString(body, 'contentType') || 'application/octet-stream';
    const hash = reqString(body, 'hash');
    if (size <= 0) throw argsError('size must be greater than 0');
    const uploadID = deps.objects.begin(name, hash, contentType, size);
    const count = Math.max(1, Math.ceil(size / partSize));
    const parts = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, url: `${deps.publicBase()}${PART_PUT_PREFIX}${uploadID}/${i + 1}` }));
    return { upload: { uploadID, partSize, sign: { url: '', parts }, expireTime: Date.now() + UPLOAD_EXPIRE_MS } };
  });

  routes.set('/object/complete_multipart_upload', (req) => {
    const body = asObject(req.body);
    const uploadID = reqString(body, 'uploadID');
    const parts = optStringArray(body, 'parts');
    const done = deps.objects.complete(uploadID, parts);
    if (!done.ok) throw argsError(done.reason);
    return { url: urlOf(done.name) };
  });

  routes.set('/object/access_url', (req) => {
    const name = reqString(asObject(req.body), 'name');
    if (!deps.objects.get(name)) throw apiError(ErrCode.RecordNotFound, 'object not found');
    return { url: urlOf(name), expireTime: Date.now() + UPLOAD_EXPIRE_MS };
  });

  return routes;
}
