/**
 * hashutil.IdHash: the first 8 bytes (big endian) of the MD5 of the IDs as Go's json.Marshal
 * writes them (which escapes <, > and &); 0 for none. Clients send it back as a JSON number, a
 * double, so the comparison is in doubles.
 */
import { createHash } from 'node:crypto';

const goJson = (ids: readonly string[]): string =>
  JSON.stringify(ids).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function idHash(ids: readonly string[]): number {
  if (ids.length === 0) return 0;
  return Number(createHash('md5').update(goJson(ids)).digest().readBigUInt64BE(0));
}
