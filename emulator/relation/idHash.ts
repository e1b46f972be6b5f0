/**
 * The real server's id-set hash (openimsdk/tools hashutil.IdHash): the first 8 bytes, big endian,
 * of the MD5 of the JSON array of IDs; 0 for an empty list. Clients send it back as a JSON number,
 * which JSON.parse rounds to a double, so we compare in doubles too.
 */
import { createHash } from 'node:crypto';

export function idHash(ids: readonly string[]): bigint {
  if (ids.length === 0) return 0n;
  const sum = createHash('md5').update(JSON.stringify(ids)).digest();
  return sum.readBigUInt64BE(0);
}

export function idHashMatches(ids: readonly string[], requested: number): boolean {
  return Number(idHash(ids)) === requested;
}
