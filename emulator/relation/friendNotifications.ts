/**
 * The friend notifications the real server sends (internal/rpc/relation/notification.go), with
 * the same sender, receiver and tips (the notifier writes them as Go's encoding/json does).
 */
import type { Notifier, UserDirectory } from '../api/contract';
import { FriendNotification } from './contentTypes';
import type { RelationStore } from './relationStore';
import { friendRequestPb } from './views';

export class FriendNotifications {
  constructor(
    private readonly notifier: Notifier,
    private readonly users: UserDirectory,
    private readonly store: RelationStore,
  ) {}

  private send(operationID: string, sendID: string, recvID: string, contentType: number, tips: object): void {
    this.notifier.notifyUsers({ sendID, recvIDs: [recvID], contentType, detail: tips, operationID });
  }

  private requestTips(fromUserID: string, toUserID: string): object | undefined {
    const r = this.store.request(fromUserID, toUserID);
    return r ? friendRequestPb(this.users, r) : undefined;
  }

  applicationAdded(operationID: string, fromUserID: string, toUserID: string): void {
    const request = this.requestTips(fromUserID, toUserID);
    if (!request) return;
    this.send(operationID, fromUserID, toUserID, FriendNotification.Application, { fromToUserID: { fromUserID, toUserID }, request });
  }

  /** `withRequest` is false for admin imports, whose tips carry no request. */
  applicationApproved(operationID: string, fromUserID: string, toUserID: string, handleMsg: string, withRequest: boolean): void {
    const request = withRequest ? this.requestTips(fromUserID, toUserID) : undefined;
    if (withRequest && !request) return;
    this.send(operationID, toUserID, fromUserID, FriendNotification.ApplicationApproved, { fromToUserID: { fromUserID, toUserID }, handleMsg, request });
  }

  applicationRejected(operationID: string, fromUserID: string, toUserID: string, handleMsg: string): void {
    const request = this.requestTips(fromUserID, toUserID);
    if (!request) return;
    this.send(operationID, toUserID, fromUserID, FriendNotification.ApplicationRejected, { fromToUserID: { fromUserID, toUserID }, handleMsg, request });
  }

  friendDeleted(operationID: string, ownerUserID: string, friendUserID: string): void {
    this.send(operationID, ownerUserID, friendUserID, FriendNotification.Deleted, { fromToUserID: { fromUserID: ownerUserID, toUserID: friendUserID } });
  }

  /** The real server looks its version up under the friend's key, finds none, and sends zeros. */
  remarkSet(operationID: string, ownerUserID: string, friendUserID: string): void {
    this.send(operationID, ownerUserID, friendUserID, FriendNotification.RemarkSet, { fromToUserID: { fromUserID: ownerUserID, toUserID: friendUserID } });
  }

  friendsInfoUpdated(operationID: string, ownerUserID: string, friendUserIDs: string[]): void {
    this.send(operationID, ownerUserID, ownerUserID, FriendNotification.FriendsInfoUpdate, { fromToUserID: { toUserID: ownerUserID }, friendIDs: friendUserIDs });
  }

  /** A friend's own user info changed (user rpc → relation NotificationUserInfoUpdate). */
  friendInfoUpdated(operationID: string, opUserID: string, changedUserID: string, recvID: string): void {
    this.send(operationID, opUserID, recvID, FriendNotification.InfoUpdated, { userID: changedUserID });
  }

  blackAdded(operationID: string, ownerUserID: string, blackUserID: string): void {
    this.send(operationID, ownerUserID, blackUserID, FriendNotification.BlackAdded, { fromToUserID: { fromUserID: ownerUserID, toUserID: blackUserID } });
  }

  blackDeleted(operationID: string, ownerUserID: string, blackUserID: string): void {
    this.send(operationID, ownerUserID, blackUserID, FriendNotification.BlackDeleted, { fromToUserID: { fromUserID: ownerUserID, toUserID: blackUserID } });
  }
}
