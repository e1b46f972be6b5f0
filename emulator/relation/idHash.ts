/**
 * tools hashutil.IdHash, the one id-set hash of the friend, group, member and conversation syncs:
 * the first 8 bytes (big endian) of the MD5 of the IDs as Go's json.Marshal writes them (which
 * escapes <, >, &, U+2028 and U+2029); 0 for none. Clients send it back as a JSON number, which
 * JSON.parse rounds to a double, so the comparison is in doubles.
 */
import { createHash } from 'node:crypto';
import { goString } from '../http/goJson';

export function idHash(ids: readonly string[]): bigint {
  if (ids.length === 0) return 0n;
  const marshalled = `[${ids.map(goString).join(',')}]`;
  return createHash('md5').update(marshalled).digest().readBigUInt64BE(0);
}

export function idHashMatches(ids: readonly string[], requested: number): boolean {
  return Number(idHash(ids)) === requested;
}

/**
 * The `version` of the full-ID answers (get_full_friend_user_ids, get_full_join_group_ids,
 * get_full_group_member_user_ids): v3.8.0 to v3.8.3 put the list's id hash there, not the
 * version log's version (only the log's ID is the log's); the JSON number is the hash as a double.
 */
export function fullIdsVersion(ids: readonly string[]): number {
  return Number(idHash(ids));
}
