/** Online connections by user, the counters tests read, and PushMsg delivery. */
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import { conversationIDOf, isNotificationConversation } from '../msg/conversationIds';
import type { PushSink } from '../msg/pushSink';
import type { GatewayConnection } from './connection';
import { WsIdentifier } from './frames';
import { currentOperationID } from '../operationContext';

/** protocol/constant IOSPlatformID. */
const IOS_PLATFORM_ID = 1;

export interface GatewayStats {
  /** Connections accepted since start (token valid, upgrade done). */
  readonly gatewayConnectionsOpened: number;
  /** Connections open now. */
  readonly gatewayConnectionsOpen: number;
  /** Connections open now for one user. */
  connectionsOf(userID: string): number;
  /** JSON heartbeats (`{"type":"ping"}`) received on one user's open connections. */
  heartbeatsOf(userID: string): number;
  /** Calls `listener` with the userID after each connection of that user opens or closes; returns an unsubscribe. */
  onConnectionChange(listener: (userID: string) => void): () => void;
}

export class ConnectionRegistry implements PushSink, GatewayStats {
  private readonly byUser = new Map<string, Set<GatewayConnection>>();
  private opened = 0;
  private open = 0;
  private readonly listeners: Array<(userID: string) => void> = [];
  private readonly removalListeners: Array<(conn: GatewayConnection) => void> = [];

  /** Called with each connection once it is unregistered. */
  onConnectionRemoved(listener: (conn: GatewayConnection) => void): void {
    this.removalListeners.push(listener);
  }

  get gatewayConnectionsOpened(): number {
    return this.opened;
  }

  get gatewayConnectionsOpen(): number {
    return this.open;
  }

  connectionsOf(userID: string): number {
    return this.byUser.get(userID)?.size ?? 0;
  }

  heartbeatsOf(userID: string): number {
    let n = 0;
    for (const c of this.byUser.get(userID) ?? []) n += c.heartbeats;
    return n;
  }

  /** Called with the userID whenever one of that user's connections opens or closes. */
  onConnectionChange(listener: (userID: string) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  add(conn: GatewayConnection): void {
    let set = this.byUser.get(conn.userID);
    if (!set) {
      set = new Set();
      this.byUser.set(conn.userID, set);
    }
    set.add(conn);
    this.opened += 1;
    this.open += 1;
    this.emit(conn.userID);
  }

  remove(conn: GatewayConnection): void {
    const set = this.byUser.get(conn.userID);
    if (!set?.delete(conn)) return;
    if (set.size === 0) this.byUser.delete(conn.userID);
    this.open -= 1;
    for (const l of this.removalListeners) l(conn);
    this.emit(conn.userID);
  }

  connections(userID: string): GatewayConnection[] {
    return [...(this.byUser.get(userID) ?? [])];
  }

  all(): GatewayConnection[] {
    return [...this.byUser.values()].flatMap((s) => [...s]);
  }

  onlinePlatformIDs(userID: string): number[] {
    return [...new Set(this.connections(userID).map((c) => c.platformID))].sort((a, b) => a - b);
  }

  pushMessage(userIDs: readonly string[], msg: SdkWsProto.MsgData): void {
    const conversationID = conversationIDOf(msg);
    const entry = { [conversationID]: { Msgs: [msg], isEnd: false } };
    const push: SdkWsProto.PushMessages = isNotificationConversation(conversationID)
      ? { msgs: {}, notificationMsgs: entry }
      : { msgs: entry, notificationMsgs: {} };
    const data = PbCoder.PushMessages.encode(push).finish();
    const operationID = currentOperationID();
    for (const userID of new Set(userIDs)) {
      for (const conn of this.connections(userID)) {
        // hub_server.go pushToUser: a background iOS connection is skipped (ErrIOSBackgroundPushErr)
        if (conn.isBackground && conn.platformID === IOS_PLATFORM_ID) continue;
        conn.send({ reqIdentifier: WsIdentifier.PushMsg, msgIncr: '', operationID, errCode: 0, errMsg: '', data });
      }
    }
  }

  private emit(userID: string): void {
    for (const l of this.listeners) l(userID);
  }
}
