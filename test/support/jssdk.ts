/**
 * The real open-im-sdk 3.5.2 client (what browsers run), in Node with `ws` as its WebSocket,
 * with every callback recorded for tests to wait on.
 */
import type WebSocket from 'ws';
import { CbEvents, OpenIMSDK } from 'open-im-sdk';
import { ensureGlobalWebSocket } from '../../core_func/upstream/clientSdk';
import type { WsResponse } from 'open-im-sdk';
import { EventRecorder } from './clientSdk';

// The same global the bridge's client SDK instances use: a `ws` WebSocket reading binary as ArrayBuffer.
ensureGlobalWebSocket();

export const WEB = 5;
const WebSocketOpen = 1;
const LOGOUT_WAIT_MS = 5_000;

export interface JssdkClient {
  readonly sdk: OpenIMSDK;
  readonly events: EventRecorder;
  readonly userID: string;
  /** Closes the socket without Logout, as a dropped network would (the jssdk may reconnect). */
  dropSocket(): void;
  /** Closes the socket from the client side without Logout and without the jssdk's reconnect. */
  closeSocket(): void;
  /** Keeps the socket, but the jssdk will not reconnect when the server closes it. */
  stopReconnecting(): void;
  /** Logs out if still connected; never throws. */
  dispose(): Promise<void>;
}

export function createJssdk(userID: string): JssdkClient {
  const sdk = new OpenIMSDK();
  const events = new EventRecorder();
  for (const name of Object.values(CbEvents)) {
    sdk.on(name, (e: WsResponse) =>
      events.record({ event: e.event, data: e.data, errCode: e.errCode, errMsg: e.errMsg, operationID: e.operationID, at: Date.now() }),
    );
  }
  const internals = sdk as unknown as { wsManager?: { close(): void; ws?: WebSocket; shouldReconnect?: boolean; connect?: () => Promise<void> } };
  return {
    sdk,
    events,
    userID,
    dropSocket() {
      internals.wsManager?.ws?.terminate();
    },
    closeSocket() {
      internals.wsManager?.close();
    },
    stopReconnecting() {
      if (internals.wsManager) internals.wsManager.shouldReconnect = false;
    },
    async dispose() {
      // Logout only over an open socket: the jssdk never settles a request it could not send.
      if (internals.wsManager?.ws?.readyState === WebSocketOpen) {
        let timer: NodeJS.Timeout | undefined;
        const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, LOGOUT_WAIT_MS)));
        await Promise.race([sdk.logout().catch(() => undefined), giveUp]);
        clearTimeout(timer);
      }
      const manager = internals.wsManager;
      if (manager) {
        // A reconnect the jssdk already scheduled would otherwise fire after the test's servers are gone.
        manager.connect = () => Promise.resolve();
        manager.close();
        manager.ws?.terminate();
      }
    },
  };
}

export async function jssdkLogin(client: JssdkClient, opts: { token: string; wsAddr: string; apiAddr: string; platformID?: number }): Promise<WsResponse> {
  return client.sdk.login({ userID: client.userID, token: opts.token, wsAddr: opts.wsAddr, apiAddr: opts.apiAddr, platformID: opts.platformID ?? WEB });
}

/** The jssdk's rejection of a call, to assert on its errCode and errMsg (fails the test when the call succeeds). */
export async function rejectionOf(call: Promise<unknown>): Promise<WsResponse> {
  try {
    await call;
  } catch (e) {
    return e as WsResponse;
  }
  throw new Error('expected the call to fail');
}
