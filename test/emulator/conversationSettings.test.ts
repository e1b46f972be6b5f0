import { CbEvents } from '@openim/client-sdk';
import type { ConversationItem, UserOnlineState } from '@openim/client-sdk';
import { adminPost } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

describe('conversation settings and online status', () => {
  const suite = emulatorSuite();
  const { login } = suite;

  const conversationsOf = (data: unknown): ConversationItem[] => data as ConversationItem[];

  it('pins a conversation and syncs it to the incremental conversation list', async () => {
    const a = await login('pinA');
    const b = await login('pinB');
    const text = await a.sdk.createTextMessage('hi');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: text.data });
    const conversationID = `si_${[a.userID, b.userID].sort().join('_')}`;
    await b.events.waitFor(CbEvents.OnNewConversation, (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID));

    const mark = b.events.mark();
    await b.sdk.setConversation({ conversationID, isPinned: true });
    const changed = await b.events.waitFor(
      CbEvents.OnConversationChanged,
      (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID && c.isPinned),
      undefined,
      mark,
    );
    expect(conversationsOf(changed.data).find((c) => c.conversationID === conversationID)?.isPinned).toBe(true);

    type Incremental = { full?: boolean; version?: number; versionID?: string; insert?: Array<{ conversationID: string }>; update?: Array<{ conversationID: string; isPinned?: boolean }> };
    const first = await adminPost<Incremental>(suite.server.apiAddress, suite.admin, '/conversation/get_incremental_conversations', { userID: b.userID, version: 0, versionID: '' });
    // an unknown version is answered "full" with nil lists, as incrversion does
    expect(first).toEqual({ full: true, version: first.version, versionID: first.versionID, delete: null, insert: null, update: null });
    const since = await adminPost<Incremental>(suite.server.apiAddress, suite.admin, '/conversation/get_incremental_conversations', { userID: b.userID, version: 1, versionID: first.versionID });
    expect(since.full).toBe(false);
    expect(since.update?.find((c) => c.conversationID === conversationID)?.isPinned).toBe(true);
    const pinned = await adminPost<{ conversationIDs?: string[] }>(suite.server.apiAddress, suite.admin, '/conversation/get_pinned_conversation_ids', { userID: b.userID });
    expect(pinned.conversationIDs).toEqual([conversationID]);
  });

  it('turns private chat on for both sides', async () => {
    const a = await login('privA');
    const b = await login('privB');
    const text = await a.sdk.createTextMessage('psst');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: text.data });
    const conversationID = `si_${[a.userID, b.userID].sort().join('_')}`;
    await b.events.waitFor(CbEvents.OnNewConversation, (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID));
    const mark = b.events.mark();
    await a.sdk.setConversation({ conversationID, isPrivateChat: true });
    const changed = await b.events.waitFor(
      CbEvents.OnConversationChanged,
      (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID && c.isPrivateChat),
      undefined,
      mark,
    );
    expect(conversationsOf(changed.data).find((c) => c.conversationID === conversationID)?.isPrivateChat).toBe(true);
  });

  it('pushes online status changes to a subscriber', async () => {
    const watcher = await login('watcher');
    const target = await login('target');
    const states = await watcher.sdk.subscribeUsersStatus([target.userID]);
    expect(states.data).toEqual([expect.objectContaining({ userID: target.userID, status: 1, platformIDs: [WEB_PLATFORM_ID] })]);

    const mark = watcher.events.mark();
    await target.dispose();
    const change = await watcher.events.waitFor(CbEvents.OnUserStatusChanged, (e) => (e.data as UserOnlineState).userID === target.userID, undefined, mark);
    expect(change.data).toEqual({ userID: target.userID, status: 0, platformIDs: [] });
  });

  it('counts gateway connections', async () => {
    if (!suite.server.emulator) return;
    const stats = suite.server.emulator.stats;
    const before = stats.gatewayConnectionsOpened;
    const c = await login('counted');
    expect(stats.gatewayConnectionsOpened).toBe(before + 1);
    expect(stats.connectionsOf(c.userID)).toBe(1);
    const open = stats.gatewayConnectionsOpen;
    // the close reaches the server asynchronously
    const closed = new Promise<void>((resolve) => {
      const off = stats.onConnectionChange((userID) => {
        if (userID === c.userID && stats.connectionsOf(userID) === 0) {
          off();
          resolve();
        }
      });
    });
    await c.dispose();
    await closed;
    expect(stats.connectionsOf(c.userID)).toBe(0);
    expect(stats.gatewayConnectionsOpen).toBe(open - 1);
  });
});
