/**
 * Friend, friend-request and blacklist records, in memory, with the friend version log the
 * incremental sync reads. Mirrors the real server's storage semantics (controller/friend.go,
 * database/mgo/friend.go): friendships are one row per direction, and every write bumps the
 * owner's version log.
 */
import type { FriendInfoOnlyView } from '../api/contract';
import { VersionLogStore, VersionState, VersionSortChangeID } from './versionLog';

export const FriendResponse = { NotHandle: 0, Agree: 1, Refuse: -1 } as const;
export const BecomeFriendBy = { Import: 1, Apply: 2 } as const;

/** A stored friendship is exactly what relation.FriendInfoOnly carries. */
export type FriendRecord = FriendInfoOnlyView;

export interface FriendRequestRecord {
  fromUserID: string;
  toUserID: string;
  handleResult: number;
  reqMsg: string;
  createTime: number;
  handlerUserID: string;
  handleMsg: string;
  handleTime: number;
  ex: string;
}

export interface BlackRecord {
  ownerUserID: string;
  blockUserID: string;
  createTime: number;
  addSource: number;
  operatorUserID: string;
  ex: string;
}

export interface FriendUpdate {
  remark?: string;
  isPinned?: boolean;
  ex?: string;
}

function requestKey(fromUserID: string, toUserID: string): string {
  return JSON.stringify([fromUserID, toUserID]);
}

export class RelationStore {
  readonly friendVersions: VersionLogStore;
  private readonly friends = new Map<string, Map<string, FriendRecord>>();
  private readonly requests = new Map<string, FriendRequestRecord>();
  private readonly blacks = new Map<string, Map<string, BlackRecord>>();

  constructor(private readonly now: () => number) {
    this.friendVersions = new VersionLogStore(now);
  }

  friend(ownerUserID: string, friendUserID: string): FriendRecord | undefined {
    return this.friends.get(ownerUserID)?.get(friendUserID);
  }

  /** The owner's friends in the real server's order: pinned first, then by when they were added. */
  friendsOf(ownerUserID: string): FriendRecord[] {
    const all = [...(this.friends.get(ownerUserID)?.values() ?? [])];
    return all.sort((a, b) => Number(b.isPinned) - Number(a.isPinned));
  }

  friendIDs(ownerUserID: string): string[] {
    return this.friendsOf(ownerUserID).map((f) => f.friendUserID);
  }

  /** Add the friendships that do not exist yet, logging an insert in each owner's version log. */
  addFriends(rows: Omit<FriendRecord, 'createTime' | 'remark' | 'ex' | 'isPinned'>[]): void {
    const insertedByOwner = new Map<string, string[]>();
    for (const row of rows) {
      if (this.friend(row.ownerUserID, row.friendUserID)) continue;
      let mine = this.friends.get(row.ownerUserID);
      if (!mine) {
        mine = new Map();
        this.friends.set(row.ownerUserID, mine);
      }
      mine.set(row.friendUserID, { ...row, remark: '', ex: '', isPinned: false, createTime: this.now() });
      insertedByOwner.set(row.ownerUserID, [...(insertedByOwner.get(row.ownerUserID) ?? []), row.friendUserID]);
    }
    for (const [owner, ids] of insertedByOwner) this.friendVersions.incr(owner, ids, VersionState.Insert);
  }

  /** Delete the owner's side only, as the real server does; the delete is logged even for non-friends. */
  deleteFriends(ownerUserID: string, friendUserIDs: string[]): void {
    const mine = this.friends.get(ownerUserID);
    for (const id of friendUserIDs) mine?.delete(id);
    this.friendVersions.incr(ownerUserID, friendUserIDs, VersionState.Delete);
  }

  updateFriends(ownerUserID: string, friendUserIDs: string[], update: FriendUpdate): void {
    if (update.remark === undefined && update.isPinned === undefined && update.ex === undefined) return;
    for (const id of friendUserIDs) {
      const row = this.friend(ownerUserID, id);
      if (!row) continue;
      if (update.remark !== undefined) row.remark = update.remark;
      if (update.isPinned !== undefined) row.isPinned = update.isPinned;
      if (update.ex !== undefined) row.ex = update.ex;
    }
    const changed = update.isPinned !== undefined ? [VersionSortChangeID, ...friendUserIDs] : friendUserIDs;
    this.friendVersions.incr(ownerUserID, changed, VersionState.Update);
  }

  request(fromUserID: string, toUserID: string): FriendRequestRecord | undefined {
    return this.requests.get(requestKey(fromUserID, toUserID));
  }

  /** A new application, or a renewed one (the real server resets the old row). */
  putRequest(fromUserID: string, toUserID: string, reqMsg: string, ex: string): void {
    const existing = this.request(fromUserID, toUserID);
    if (existing) {
      Object.assign(existing, { handleResult: FriendResponse.NotHandle, handleMsg: '', reqMsg, ex, createTime: this.now() });
      return;
    }
    this.requests.set(requestKey(fromUserID, toUserID), {
      fromUserID,
      toUserID,
      handleResult: FriendResponse.NotHandle,
      reqMsg,
      createTime: this.now(),
      handlerUserID: '',
      handleMsg: '',
      handleTime: 0,
      ex,
    });
  }

  /** Both directions between two users, as FindBothFriendRequests returns them. */
  requestsBetween(userA: string, userB: string): FriendRequestRecord[] {
    return [this.request(userA, userB), this.request(userB, userA)].filter((r): r is FriendRequestRecord => r !== undefined);
  }

  /** Newest first, optionally only those with one of `handleResults`. */
  requestsWhere(match: (r: FriendRequestRecord) => boolean, handleResults: number[]): FriendRequestRecord[] {
    return [...this.requests.values()]
      .filter((r) => match(r) && (handleResults.length === 0 || handleResults.includes(r.handleResult)))
      .sort((a, b) => b.createTime - a.createTime);
  }

  black(ownerUserID: string, blockUserID: string): BlackRecord | undefined {
    return this.blacks.get(ownerUserID)?.get(blockUserID);
  }

  blacksOf(ownerUserID: string): BlackRecord[] {
    return [...(this.blacks.get(ownerUserID)?.values() ?? [])];
  }

  /** False when the row already exists (the real unique index refuses it). */
  addBlack(record: BlackRecord): boolean {
    let mine = this.blacks.get(record.ownerUserID);
    if (!mine) {
      mine = new Map();
      this.blacks.set(record.ownerUserID, mine);
    }
    if (mine.has(record.blockUserID)) return false;
    mine.set(record.blockUserID, record);
    return true;
  }

  removeBlack(ownerUserID: string, blockUserID: string): void {
    this.blacks.get(ownerUserID)?.delete(blockUserID);
  }
}
