/**
 * The real open-im-sdk client, 3.5.2 or 3.4.1 (the npm alias open-im-sdk-341), in Node, as a
 * browser runs it (`ws` as its global WebSocket) or as a mini-program runs it (`uni` / `wx`
 * connectSocket, no global WebSocket: test/support/miniProgram.ts), with every callback and
 * every received frame's kind recorded.
 */
import type WebSocket from 'ws';
import { asMiniProgram, SocketTask, type FrameCounts } from './miniProgram';
import { CbEvents, OpenIMSDK } from 'open-im-sdk';
import { installBrowserWebSocket } from './browserWebSocket';
import { OpenIMSDK as OpenIMSDK341 } from 'open-im-sdk-341';
import type { WsResponse } from 'open-im-sdk';
import { EventRecorder } from './clientSdk';

// A browser page's global WebSocket: `ws`, reading binary as ArrayBuffer.
installBrowserWebSocket();

export const WEB = 5;

/** How the jssdk reaches its socket: a browser's WebSocket, or a uni-app / WeChat SocketTask. */
export type Platform = 'web' | 'uni' | 'wx';
/** The open-im-sdk releases apps run: 3.4.1 speaks binary frames, 3.5.2 text ones. */
export type JssdkRelease = '3.5.2' | '3.4.1';
/** A platform, with `@3.4.1` for an app on open-im-sdk 3.4.1 (else 3.5.2). */
export type ClientMode = Platform | `${Platform}@3.4.1`;

const PLATFORMS: readonly string[] = ['web', 'uni', 'wx'];
const isClientMode = (m: string): m is ClientMode => PLATFORMS.includes(m.replace(/@3\.4\.1$/, ''));

export function platformOf(mode: ClientMode): Platform {
  return mode.replace(/@3\.4\.1$/, '') as Platform;
}

export function releaseOf(mode: ClientMode): JssdkRelease {
  return mode.endsWith('@3.4.1') ? '3.4.1' : '3.5.2';
}

/**
 * On a profile-matrix project (an older OpenIM release, jest.config.js) the suites run only with
 * 3.5.2: what differs between the jssdk releases (frame kind, argument shapes) does not depend on
 * the server's release, and the matrix would otherwise double.
 */
const ON_PROFILE_MATRIX = (globalThis as { EMULATOR_PROFILE?: unknown }).EMULATOR_PROFILE !== undefined;

/**
 * The clients the login, message, conversation, resume and local-store suites run with:
 * JSSDK_MODES=web,uni,wx,web@3.4.1,… picks others (default: the browser and the uni-app
 * mini-program, each on both releases, 3.5.2 only on the profile matrix; `wx` takes the same
 * SocketTask path as `uni`).
 */
export const CLIENT_MODES: readonly ClientMode[] = (process.env.JSSDK_MODES ?? (ON_PROFILE_MATRIX ? 'web,uni' : 'web,uni,web@3.4.1,uni@3.4.1'))
  .split(',')
  .map((m) => m.trim())
  .filter(isClientMode);
/** The subset the suites that only touch one release's code path run with (the 3.5.2 modes of CLIENT_MODES). */
export const CLIENT_MODES_352: readonly ClientMode[] = CLIENT_MODES.filter((m) => releaseOf(m) === '3.5.2');

const WebSocketOpen = 1;
const WebSocketClosed = 3;
const LOGOUT_WAIT_MS = 5_000;

export interface JssdkClient {
  readonly sdk: OpenIMSDK;
  readonly events: EventRecorder;
  readonly userID: string;
  readonly mode: ClientMode;
  readonly release: JssdkRelease;
  /** Frames received from the bridge over every socket of this client so far, by kind. */
  readonly frames: FrameCounts;
  /** Closes the socket without Logout, as a dropped network would (the jssdk may reconnect). */
  dropSocket(): void;
  /** Closes the socket from the client side without Logout and without the jssdk's reconnect. */
  closeSocket(): void;
  /** Keeps the socket, but the jssdk will not reconnect when the server closes it. */
  stopReconnecting(): void;
  /** Resolves when the jssdk's current socket has closed (every frame before the close was handled). */
  socketClosed(): Promise<void>;
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

/**
 * open-im-sdk 3.4.1 as the 3.5.2 type: its methods take the same arguments, except addBlack (a
 * bare userID: use addBlack() below) and the `ex` / `isOnlineOnly` fields it does not send.
 */
function newSdk(release: JssdkRelease): OpenIMSDK {
  return release === '3.4.1' ? (new OpenIMSDK341() as unknown as OpenIMSDK) : new OpenIMSDK();
}

export function createJssdk(userID: string, mode: ClientMode = 'web'): JssdkClient {
  const platform = platformOf(mode);
  const release = releaseOf(mode);
  const sdk = newSdk(release);
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
    const started = platform === 'web' ? login(...args) : asMiniProgram(platform, () => login(...args));
    const chosen = (internals.wsManager as { platformNamespace?: string } | undefined)?.platformNamespace;
    if (fresh && (chosen !== platform || (platform !== 'web') !== internals.wsManager?.ws instanceof SocketTask)) throw new Error(`the jssdk took its ${chosen} path, not ${platform}`);
    if (fresh) countFrames(internals, frames);
    return started;
  };
  return {
    sdk,
    events,
    userID,
    mode,
    release,
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
    socketClosed() {
      const ws = internals.wsManager?.ws;
      if (!ws || ws.readyState === WebSocketClosed) return Promise.resolve();
      return new Promise((resolve) => (ws instanceof SocketTask ? ws.onClose(() => resolve()) : ws.once('close', () => resolve())));
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

/** AddBlack as each release calls it: 3.5.2 takes {toUserID, ex}, 3.4.1 a bare userID. */
export function addBlack(client: JssdkClient, toUserID: string, ex?: string): Promise<WsResponse> {
  if (client.release === '3.4.1') return (client.sdk as unknown as { addBlack(userID: string): Promise<WsResponse> }).addBlack(toUserID);
  return client.sdk.addBlack({ toUserID, ex });
}

/** The frame kind every frame to such a client must have: 3.4.1 decodes each with TextDecoder, 3.5.2 JSON.parses each. */
export function frameKindOf(mode: ClientMode): { readonly kind: keyof FrameCounts; readonly other: keyof FrameCounts } {
  return releaseOf(mode) === '3.4.1' ? { kind: 'binary', other: 'text' } : { kind: 'text', other: 'binary' };
}
