/**
 * The real open-im-sdk 3.5.2 client (what browsers run), in Node with `ws` as its WebSocket,
 * with every callback recorded for tests to wait on.
 */
import WebSocket from 'ws';
import { CbEvents, OpenIMSDK } from 'open-im-sdk';
import type { WsResponse } from 'open-im-sdk';
import { EventRecorder } from './clientSdk';

const g = globalThis as { WebSocket?: unknown };
if (g.WebSocket === undefined) g.WebSocket = WebSocket;

export const WEB = 5;

export interface JssdkClient {
  readonly sdk: OpenIMSDK;
  readonly events: EventRecorder;
  readonly userID: string;
  /** Closes the socket without Logout, as a dropped network would (the jssdk may reconnect). */
  dropSocket(): void;
  /** Closes the socket from the client side without Logout and without the jssdk's reconnect. */
  closeSocket(): void;
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
  const internals = sdk as unknown as { wsManager?: { close(): void; ws?: WebSocket } };
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
    async dispose() {
      try {
        if (internals.wsManager) await sdk.logout();
      } catch {
        /* already gone */
      }
      internals.wsManager?.close();
      internals.wsManager?.ws?.terminate();
    },
  };
}

export async function jssdkLogin(client: JssdkClient, opts: { token: string; wsAddr: string; apiAddr: string; platformID?: number }): Promise<WsResponse> {
  return client.sdk.login({ userID: client.userID, token: opts.token, wsAddr: opts.wsAddr, apiAddr: opts.apiAddr, platformID: opts.platformID ?? WEB });
}
