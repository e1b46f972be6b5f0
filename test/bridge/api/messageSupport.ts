/** Shared setup of the message, conversation and upload suites: users logged in through the bridge. */
import type { MessageItem } from 'open-im-sdk';
import type { BridgeOptions } from '../../../module/bridge';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import type { EventRecorder } from '../../support/clientSdk';
import { createJssdk, jssdkLogin, frameKindOf, rejectionOf, type ClientMode, type JssdkClient } from '../../support/jssdk';
import type { FrameCounts } from '../../support/miniProgram';

export interface Suite {
  /** A bridge whose local data lives in a temporary directory of this suite's own. */
  fx: BridgeFixture;
  /** The kind of jssdk client the suite logs in (platform and release). */
  readonly mode: ClientMode;
  login(userID: string): Promise<JssdkClient>;
  /** Releases a client the test created itself when the suite closes. */
  track(client: JssdkClient): JssdkClient;
  /** Two fresh users logged in, and the ID of their single-chat conversation. */
  pair(prefix: string): Promise<{ a: string; b: string; ca: JssdkClient; cb: JssdkClient; conversationID: string }>;
  /** Frames the bridge sent this suite's clients so far, by kind. */
  frames(): FrameCounts;
  close(): Promise<void>;
}

/**
 * A bridge (with its own temporary data directory, or the state store `overrides` name), and a login helper that disposes clients
 * on close; its clients are browsers (`web`) or mini-programs (`uni`, `wx`), on open-im-sdk 3.5.2 or (`@3.4.1`) 3.4.1.
 */
export async function startSuite(mode: ClientMode = 'web', overrides: Partial<BridgeOptions> = {}): Promise<Suite> {
  const fx = await startBridgeFixture(overrides);
  const clients: JssdkClient[] = [];
  const suite: Suite = {
    fx,
    mode,
    track(client) {
      clients.push(client);
      return client;
    },
    async login(userID) {
      const c = createJssdk(userID, mode);
      clients.push(c);
      await jssdkLogin(c, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.bridge.httpAddress });
      await c.events.waitFor('OnSyncServerFinish');
      return c;
    },
    async pair(prefix) {
      const [a, b] = (await fx.newUsers(prefix, 2)) as [string, string];
      const ca = await suite.login(a);
      const cb = await suite.login(b);
      return { a, b, ca, cb, conversationID: singleConversationID(a, b) };
    },
    frames() {
      return clients.reduce((t, c) => ({ text: t.text + c.frames.text, binary: t.binary + c.frames.binary }), { text: 0, binary: 0 });
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
    },
  };
  return suite;
}

export function singleConversationID(a: string, b: string): string {
  return `si_${[a, b].sort().join('_')}`;
}

/** The errCode a jssdk call rejects with (fails the test if it resolves). */
export async function errCodeOf(call: Promise<unknown>): Promise<number> {
  return (await rejectionOf(call)).errCode;
}

/** `from` sends `to` a text; resolves once `to` has received it. */
export async function sendText(from: JssdkClient, to: { userID: string; events: EventRecorder }, text: string): Promise<MessageItem> {
  const mark = to.events.mark();
  const created = (await from.sdk.createTextMessage(text)).data;
  const sent = (await from.sdk.sendMessage({ recvID: to.userID, groupID: '', message: created })).data;
  await to.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === sent.clientMsgID), undefined, mark);
  return sent;
}

/**
 * The suite's last check: every frame the bridge sent its jssdk clients was of the kind their
 * release reads — binary to 3.4.1 (TextDecoder on every frame), text to 3.5.2 (JSON.parse).
 */
export function itSentFramesInTheClientsKind(suite: () => Suite): void {
  it('sent every frame to the jssdk in the kind its release reads', () => {
    const frames = suite().frames();
    const { kind, other } = frameKindOf(suite().mode);
    expect(frames[kind]).toBeGreaterThan(0);
    expect(frames[other]).toBe(0);
  });
}
