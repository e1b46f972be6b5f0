/**
 * Users' public profiles, shared by every session of this process, for GetUsersInfoWithCache.
 * An entry lives USERS_INFO_TTL_MS at most, and goes as soon as any session relays a sign that
 * the profile changed (OnSelfInfoUpdated of that user, OnFriendInfoChanged about them). Expired
 * entries are kept (within USERS_INFO_MAX_ENTRIES) as the fallback the SDK core's stranger
 * table was: served only when the server cannot be reached. With several bridge instances the
 * invalidation is shared (state/invalidations.ts): each drop here is told to the other instances,
 * and theirs arrive through dropFromPeer.
 */
import { LRUCache } from 'lru-cache';

/** How long a cached profile is served without asking the server again. */
export const USERS_INFO_TTL_MS = 60_000;
/** Profiles kept at most, process-wide. */
export const USERS_INFO_MAX_ENTRIES = 10_000;

/** PublicUserItem as the SDK core's GetUsersInfoWithCache returned it (with createTime). */
export interface PublicUserInfo {
  userID: string;
  nickname: string;
  faceURL: string;
  ex: string;
  createTime: number;
}

export class UsersInfoCache {
  private readonly entries: LRUCache<string, PublicUserInfo>;
  private readonly peers = new Set<(userID: string) => void>();

  constructor(ttlMs = USERS_INFO_TTL_MS, max = USERS_INFO_MAX_ENTRIES) {
    this.entries = new LRUCache<string, PublicUserInfo>({ max, ttl: ttlMs, noDeleteOnStaleGet: true });
  }

  /** The fresh entry for `userID`, if any. */
  fresh(userID: string): PublicUserInfo | undefined {
    return this.entries.get(userID);
  }

  /** The entry for `userID` even when expired: only for when the server failed. */
  stale(userID: string): PublicUserInfo | undefined {
    return this.entries.get(userID, { allowStale: true });
  }

  put(user: PublicUserInfo): void {
    this.entries.set(user.userID, user);
  }

  /** Drops the entry here and tells the other instances to drop theirs. */
  invalidate(userID: string): void {
    this.entries.delete(userID);
    for (const tell of this.peers) tell(userID);
  }

  /** Drops the entry because another instance saw the change (not told on again). */
  dropFromPeer(userID: string): void {
    this.entries.delete(userID);
  }

  /** `tell` hears every local invalidation until the returned function is called. */
  shareInvalidations(tell: (userID: string) => void): () => void {
    this.peers.add(tell);
    return () => this.peers.delete(tell);
  }

  get size(): number {
    return this.entries.size;
  }
}

export const usersInfoCache = new UsersInfoCache();

/** Event data naming a user (`{userID, …}`): that user's cached profile is dropped. */
export function invalidateUserOf(data: unknown): void {
  if (typeof data === 'object' && data !== null && typeof (data as { userID?: unknown }).userID === 'string') {
    usersInfoCache.invalidate((data as { userID: string }).userID);
  }
}

/** Wraps an event converter so the event also invalidates the profile it is about. */
export function invalidatingUser(convert: (data: unknown) => unknown): (data: unknown) => unknown {
  return (data) => {
    invalidateUserOf(data);
    return convert(data);
  };
}
