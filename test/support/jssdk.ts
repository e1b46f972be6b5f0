/**
 * The real open-im-sdk 3.5.2 client, in Node, as a browser runs it (`ws` as its global
 * WebSocket) or as a mini-program runs it (`uni` / `wx` connectSocket, no global WebSocket:
 * test/support/miniProgram.ts), with every callback and every received frame's kind recorded.
 */
import type WebSocket from 'ws';
import { asMiniProgram, SocketTask, type FrameCounts } from './miniProgram';
import { CbEvents, OpenIMSDK } from 'open-im-sdk';
import { installBrowserWebSocket } from './browserWebSocket';
import type { WsResponse } from 'open-im-sdk';
import { EventRecorder } from './clientSdk';

// A browser page's global WebSocket: `ws`, reading binary as ArrayBuffer.
installBrowserWebSocket();

export const WEB = 5;

/** How the jssdk reaches its socket: a browser's WebSocket, or a uni-app / WeChat SocketTask. */
export type ClientMode = 'web' | 'uni' | 'wx';

/**
 * The modes the message, conversation and resume suites run in: JSSDK_MODES=web,uni,wx picks
 * others (default: the browser and the uni-app mini-program; `wx` takes the same SocketTask path).
 */
export const CLIENT_MODES: readonly ClientMode[] = (process.env.JSSDK_MODES ?? 'web,uni').split(',').map((m) => m.trim()).filter((m): m is ClientMode => m === 'web' || m === 'uni' || m === 'wx');

const WebSocketOpen = 1;
const LOGOUT_WAIT_MS = 5_000;

export interface JssdkClient {
  readonly sdk: OpenIMSDK;
  readonly events: EventRecorder;
  readonly userID: string;
  readonly mode: ClientMode;
  /** Frames received from the bridge over every socket of this client so far, by kind. */
  readonly frames: FrameCounts;
  /** Closes the socket without Logout, as a dropped network would (the jssdk may reconnect). */
  dropSocket(): void;
  /** Closes the socket from the client side without Logout and without the jssdk's reconnect. */
  closeSocket(): void;
  /** Keeps the socket, but the jssdk will not reconnect when the server closes it. */
  stopReconnecting(): void;
  /** Logs out if still connected; never throws. */
  dispose(): Promise<void>;
}

type Socket = WebSocket | SocketTask;
interface Internals {
  wsManager?: { close(): void; ws?: Socket; shouldReconnect?: boolean; connect?: () => Promise<void> };
}

/** Counts the frames of every socket the jssdk opens from now on (the first one and each reconnect's). */
function countFrames(internals: Internals, frames: FrameCounts): void {
  const manager = internals.wsManager;
  if (!manager?.connect) return;
  const counted = new WeakSet<object>();
  const watch = (ws: Socket | undefined) => {
    if (!ws || counted.has(ws)) return;
    counted.add(ws);
    if (ws instanceof SocketTask) {
      // The task hands text frames over as strings and binary ones as ArrayBuffers, as the platforms do.
      ws.onMessage(({ data }) => void (typeof data === 'string' ? frames.text++ : frames.binary++));
    } else {
      ws.on('message', (_data, isBinary) => void (isBinary ? frames.binary++ : frames.text++));
    }
  };
  watch(manager.ws);
  const connect = manager.connect;
  manager.connect = () => {
    const p = connect();
    watch(manager.ws);
    return p;
  };
}

export function createJssdk(userID: string, mode: ClientMode = 'web'): JssdkClient {
  const sdk = new OpenIMSDK();
  const events = new EventRecorder();
  for (const name of Object.values(CbEvents)) {
    sdk.on(name, (e: WsResponse) =>
      events.record({ event: e.event, data: e.data, errCode: e.errCode, errMsg: e.errMsg, operationID: e.operationID, at: Date.now() }),
    );
  }
  const internals = sdk as unknown as Internals;
  const frames: FrameCounts = { text: 0, binary: 0 };
  const login = sdk.login.bind(sdk);
  // The jssdk builds its socket manager synchronously inside login(): pick the platform there.
  sdk.login = (...args: Parameters<typeof login>) => {
    const fresh = !internals.wsManager;
    const started = mode === 'web' ? login(...args) : asMiniProgram(mode, () => login(...args));
    const chosen = (internals.wsManager as { platformNamespace?: string } | undefined)?.platformNamespace;
    if (fresh && (chosen !== mode || (mode !== 'web') !== internals.wsManager?.ws instanceof SocketTask)) throw new Error(`the jssdk took its ${chosen} path, not ${mode}`);
    if (fresh) countFrames(internals, frames);
    return started;
  };
  return {
    sdk,
    events,
    userID,
    mode,
    frames,
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
