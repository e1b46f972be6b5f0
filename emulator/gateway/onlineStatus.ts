/**
 * Online-status subscriptions as the gateway keeps them (subscription.go): per connection,
 * dropped with the connection, and a 2005 push (SubUserOnlineStatusTips) to every subscribed
 * connection when a watched user's set of online platforms changes.
 */
import { PbCoder } from '@openim/protocol';
import type { GatewayConnection } from './connection';
import type { ConnectionRegistry } from './registry';
import { WsIdentifier } from './frames';

const ONLINE = 1;
const OFFLINE = 0;

export class OnlineStatusService {
  /** watched userID → subscribed connections */
  private readonly watchers = new Map<string, Set<GatewayConnection>>();
  /** connection → watched userIDs */
  private readonly watching = new Map<GatewayConnection, Set<string>>();
  private readonly lastPlatforms = new Map<string, string>();

  constructor(private readonly registry: ConnectionRegistry) {
    registry.onConnectionChange((userID) => this.onChange(userID));
    registry.onConnectionRemoved((conn) => this.dropConnection(conn));
  }

  subscribe(conn: GatewayConnection, subscribeUserIDs: string[], unsubscribeUserIDs: string[]): void {
    let mine = this.watching.get(conn);
    if (!mine) {
      mine = new Set();
      this.watching.set(conn, mine);
    }
    for (const id of unsubscribeUserIDs) {
      mine.delete(id);
      this.watchers.get(id)?.delete(conn);
    }
    for (const id of subscribeUserIDs) {
      mine.add(id);
      let set = this.watchers.get(id);
      if (!set) {
        set = new Set();
        this.watchers.set(id, set);
      }
      set.add(conn);
    }
  }

  dropConnection(conn: GatewayConnection): void {
    for (const id of this.watching.get(conn) ?? []) this.watchers.get(id)?.delete(conn);
    this.watching.delete(conn);
  }

  status(userID: string): { userID: string; status: number; platformIDs: number[] } {
    const platformIDs = this.registry.onlinePlatformIDs(userID);
    return { userID, status: platformIDs.length > 0 ? ONLINE : OFFLINE, platformIDs };
  }

  tipsFor(userIDs: string[]): Uint8Array {
    return PbCoder.SubUserOnlineStatusTips.encode({
      subscribers: userIDs.map((userID) => ({ userID, onlinePlatformIDs: this.registry.onlinePlatformIDs(userID) })),
    }).finish();
  }

  /** Only a change of the platform set is news (a second connection on the same platform is not). */
  private onChange(userID: string): void {
    const platforms = this.registry.onlinePlatformIDs(userID).join(',');
    if (this.lastPlatforms.get(userID) === platforms) return;
    if (platforms === '') this.lastPlatforms.delete(userID);
    else this.lastPlatforms.set(userID, platforms);
    const watchers = this.watchers.get(userID);
    if (!watchers || watchers.size === 0) return;
    const data = this.tipsFor([userID]);
    for (const conn of watchers) {
      conn.send({ reqIdentifier: WsIdentifier.WsSubUserOnlineStatus, msgIncr: '', operationID: '', errCode: 0, errMsg: '', data });
    }
  }
}
