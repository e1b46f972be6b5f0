/**
 * One user's connection to OpenIM through one client-SDK instance. `open()` settles only
 * when the gateway has really accepted the login (OnConnectSuccess) or refused it: the
 * SDK's own login() resolves as soon as the socket starts connecting.
 */
import { BridgeError, ErrorCode, toBridgeError } from '../../common/errors';
import { restPost } from './restClient';
import { createClientSdk, SDK_LOG_SILENT, type ClientSdk, type SdkEvent, type SdkResponse } from './clientSdk';
import { asTheSdkCore, coreRuleHooks } from '../coreRules';
import { OwnSends } from '../coreRules/ownSends';
import { LoginSyncTap, type LoginSyncReads } from './loginSyncTap';

export interface UpstreamTarget {
  readonly apiAddress: string;
  readonly wsAddress: string;
}

export interface UpstreamLogin {
  readonly userID: string;
  readonly token: string;
  readonly platformID: number;
  readonly operationID: string;
  readonly timeoutMs: number;
  /** Interval of the upstream connection's heartbeat; absent: the client SDK's own. */
  readonly heartbeatMs?: number;
  /** Hears of the client SDK's background tasks that failed (logged by the session). */
  readonly onTaskFailure?: (task: string, err: unknown) => void;
  /** Keep what the SDK's login sync reads of friends and groups for `takeLoginSyncReads` (the relation baseline). */
  readonly tapLoginSync?: boolean;
}

/** Where one upstream session's events go, for its whole life (the app instance's feed). */
export interface UpstreamEvents {
  /** Every event before the SDK-core rules filter it (the delivery cursor counts own sends as given). */
  seen?(e: SdkEvent): void;
  /** The events the SDK core would have fired. */
  event(e: SdkEvent): void;
}

/** Every event name the SDK can emit; the relay decides which reach the client. */
export const UPSTREAM_EVENTS: readonly string[] = [
  'OnConnectFailed', 'OnConnectSuccess', 'OnConnecting', 'OnKickedOffline', 'OnSelfInfoUpdated', 'OnUserTokenExpired',
  'OnUserTokenInvalid', 'OnProgress', 'OnRecvNewMessage', 'OnRecvNewMessages', 'onRecvOfflineNewMessage',
  'onRecvOfflineNewMessages', 'OnNewRecvMessageRevoked', 'OnRecvC2CReadReceipt', 'OnRecvGroupReadReceipt',
  'OnConversationChanged', 'OnNewConversation', 'OnConversationUserInputStatusChanged', 'OnSyncServerFailed',
  'OnSyncServerFinish', 'OnSyncServerProgress', 'OnSyncServerStart', 'OnTotalUnreadMessageCountChanged', 'OnBlackAdded',
  'OnBlackDeleted', 'OnFriendApplicationAccepted', 'OnFriendApplicationAdded', 'OnFriendApplicationDeleted',
  'OnFriendApplicationRejected', 'OnFriendInfoChanged', 'OnFriendAdded', 'OnFriendDeleted', 'OnJoinedGroupAdded',
  'OnJoinedGroupDeleted', 'OnGroupDismissed', 'OnGroupMemberAdded', 'OnGroupMemberDeleted', 'OnGroupApplicationAdded',
  'OnGroupApplicationDeleted', 'OnGroupInfoChanged', 'OnGroupMemberInfoChanged', 'OnGroupApplicationAccepted',
  'OnGroupApplicationRejected', 'UploadComplete', 'OnRecvCustomBusinessMessage', 'OnUserStatusChanged',
];

const UPSTREAM_EVENT_SET: ReadonlySet<string> = new Set(UPSTREAM_EVENTS);

/** Events that end a login attempt in failure. */
const LOGIN_FAILURE_EVENTS = new Set(['OnConnectFailed', 'OnUserTokenExpired', 'OnUserTokenInvalid', 'OnKickedOffline']);

let liveInstances = 0;
/** SDK instances created and not yet disposed, process-wide (leak tests count them). */
export function liveUpstreamInstances(): number {
  return liveInstances;
}

export class UpstreamSession {
  private disposed = false;
  /** This session's sends whose push back is still to come (core_func/coreRules/ownSends.ts). */
  readonly ownSends = new OwnSends();
  private loginSync?: LoginSyncTap;
  private constructor(
    private readonly sdk: ClientSdk,
    readonly userID: string,
    readonly apiAddress: string,
    readonly token: string,
  ) {}

  static async open(target: UpstreamTarget, login: UpstreamLogin, events: UpstreamEvents): Promise<UpstreamSession> {
    const sdk = createClientSdk(login.onTaskFailure);
    sdk.hookMessages(login.userID, coreRuleHooks(login.userID));
    liveInstances++;
    let settle: ((err?: BridgeError) => void) | undefined;
    const outcome = new Promise<void>((resolve, reject) => {
      settle = (err) => {
        settle = undefined;
        if (err) reject(err);
        else resolve();
      };
    });
    // `relay` is handed to the SDK before the session object exists; it reaches it through this box.
    const box: { session?: UpstreamSession } = {};
    const relay = (e: SdkEvent) => {
      if (settle) {
        if (e.event === 'OnConnectSuccess') settle();
        else if (LOGIN_FAILURE_EVENTS.has(e.event)) settle(new BridgeError(e.errCode || ErrorCode.Network, e.errMsg || e.event));
      }
      const session = box.session;
      if (!session) return;
      events.seen?.(e);
      const adjusted = asTheSdkCore(e, login.userID, session.ownSends);
      if (adjusted) events.event(adjusted);
    };
    const session = new UpstreamSession(sdk, login.userID, target.apiAddress, login.token);
    box.session = session;
    if (login.tapLoginSync) session.loginSync = LoginSyncTap.expect(login.userID, login.token, login.operationID);
    sdk.listen(UPSTREAM_EVENT_SET, relay);
    const timer = setTimeout(() => settle?.(new BridgeError(ErrorCode.Network, 'upstream login timed out')), login.timeoutMs);
    try {
      sdk
        .invoke(
          'login',
          {
            userID: login.userID,
            token: login.token,
            platformID: login.platformID,
            apiAddr: target.apiAddress,
            wsAddr: target.wsAddress,
            logLevel: SDK_LOG_SILENT,
          },
          login.operationID,
        )
        .catch((err: unknown) => settle?.(toBridgeError(err)));
      if (login.heartbeatMs) sdk.setHeartbeatInterval(login.heartbeatMs);
      await outcome;
      return session;
    } catch (err) {
      session.dispose();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Calls an SDK method and unwraps its `{errCode, data}` envelope. */
  async call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    if (this.disposed) throw new BridgeError(ErrorCode.NotLoggedIn, 'session is closed');
    let res: SdkResponse;
    try {
      res = await this.sdk.invoke(method, ...args);
    } catch (err) {
      throw toBridgeError(err);
    }
    if (res.errCode) throw new BridgeError(res.errCode, res.errMsg);
    return res.data as T;
  }

  /** Sets fields of the SDK's cached conversation (and emits OnConversationChanged); see ClientSdk.patchConversation. */
  async patchConversation(conversationID: string, fields: Record<string, unknown>, operationID: string): Promise<void> {
    if (this.disposed) return;
    await this.sdk.patchConversation(conversationID, fields, operationID);
  }

  /** One msg_gateway request over this session's connection; resolves with the decoded answer. */
  async gatewayRequest(reqIdentifier: number, data: Uint8Array, operationID: string): Promise<unknown> {
    if (this.disposed) throw new BridgeError(ErrorCode.NotLoggedIn, 'session is closed');
    try {
      return await this.sdk.gatewayRequest(reqIdentifier, data, operationID);
    } catch (err) {
      throw toBridgeError(err);
    }
  }

  /** Calls the OpenIM REST API with this session's token; errors keep the server's errCode. */
  rest<T = unknown>(path: string, body: unknown, operationID: string): Promise<T> {
    if (this.disposed) return Promise.reject(new BridgeError(ErrorCode.NotLoggedIn, 'session is closed'));
    return restPost<T>({ apiAddress: this.apiAddress, token: this.token, operationID }, path, body);
  }

  /** What the SDK's login sync read of friends and groups (once; undefined when not tapped or already taken). */
  takeLoginSyncReads(): LoginSyncReads | undefined {
    const tap = this.loginSync;
    this.loginSync = undefined;
    return tap?.take();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loginSync?.close();
    this.loginSync = undefined;
    this.sdk.dispose();
    liveInstances--;
  }
}
