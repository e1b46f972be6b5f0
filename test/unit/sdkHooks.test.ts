/**
 * The client-SDK internals the bridge hooks are all there, each hook really replaces what it
 * hooks, and building and logging in a client SDK changes no global of the process.
 */
import { createClientSdk } from '../../core_func/upstream/clientSdk';
import { checkClientSdk, ClientSdkMismatchError, HOOKED_INTERNALS, internalAt, missingInternals } from '../../core_func/upstream/sdkHooks';
import * as sdkModule from '../../core_func/upstream/sdkModule';
import { clientSdkVersion, newSdkInstance } from '../../core_func/upstream/sdkModule';
import { REPAIRED_INTERNALS, repairSdk } from '../../core_func/upstream/sdkRepairs';

describe('client SDK hooks', () => {
  it('finds every internal it hooks in the installed client SDK', () => {
    expect(clientSdkVersion()).toBe('0.0.14');
    expect(() => checkClientSdk()).not.toThrow();
    expect(HOOKED_INTERNALS).toEqual(expect.arrayContaining([...REPAIRED_INTERNALS, 'wsManager.heartbeatInterval', 'messageTrigger.syncer.compareVersionAndTrigger']));
  });

  it('stops the start with the SDK version and the missing internal when one is gone', () => {
    const build = () => {
      const sdk = newSdkInstance() as unknown as { messageTrigger: { syncer: Record<string, unknown> } };
      delete sdk.messageTrigger.syncer.pullMsgBySeqRange;
      return sdk;
    };
    let err: unknown;
    try {
      checkClientSdk(build);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClientSdkMismatchError);
    expect((err as ClientSdkMismatchError).missing).toEqual(['messageTrigger.syncer.pullMsgBySeqRange']);
    expect((err as Error).message).toMatch(/^@openim\/client-sdk 0\.0\.14 lacks internals .*messageTrigger\.syncer\.pullMsgBySeqRange/);
  });

  it('names a missing connection-manager field too', () => {
    const sdk = newSdkInstance() as unknown as Record<string, unknown>;
    expect(missingInternals(sdk)).toEqual(expect.arrayContaining(['wsManager.connect', 'wsManager.heartbeatInterval']));
    (sdk.logout as () => Promise<unknown>)().catch(() => undefined);
    const trigger = sdk.messageTrigger as { typingManager: { send: { dispose(): void }; state: { dispose(): void } } };
    trigger.typingManager.send.dispose();
    trigger.typingManager.state.dispose();
  });

  it('replaces every internal a repair hooks (a repair that finds nothing to hook fails here)', () => {
    const fresh = newSdkInstance();
    const repaired = newSdkInstance();
    repairSdk(repaired as never, () => undefined);
    const replaced = REPAIRED_INTERNALS.filter((path) => {
      const before = internalAt(fresh, path).value;
      const after = internalAt(repaired, path).value;
      return typeof after === 'function' && String(after) !== String(before);
    });
    // The cache readers and the header builder are only called by the repairs.
    expect(replaced.sort()).toEqual(
      [
        'messageTrigger.syncer.pullMsgBySeqRange',
        'messageTrigger.syncer.syncAndTriggerMsgs',
        'messageTrigger.getOneConversationAndTryChange',
        'messageTrigger.triggerConversation',
        'messageTrigger.instance.sendHttpRequest',
      ].sort(),
    );
    for (const sdk of [fresh, repaired]) {
      const t = (sdk as unknown as { messageTrigger: { typingManager: { send: { dispose(): void }; state: { dispose(): void } } } }).messageTrigger;
      t.typingManager.send.dispose();
      t.typingManager.state.dispose();
    }
  });

  it('hands the listened events to one handler, in the SDK\'s emit, and registers no listener per event name', () => {
    const built = newSdkInstance();
    const spy = jest.spyOn(sdkModule, 'newSdkInstance').mockReturnValueOnce(built);
    const sdk = createClientSdk();
    spy.mockRestore();
    const raw = built as unknown as { messageTrigger?: { instance: Record<string, unknown> } };
    const heard: string[] = [];
    sdk.listen(new Set(['OnConnectSuccess', 'OnSyncServerFinish']), (e) => heard.push(`${e.event}:${String(e.data)}`));
    const instance = raw.messageTrigger!.instance as { loginStatus: number; events: Record<string, unknown>; triggerEvent(e: { event: string; data: unknown; operationID: string }): void };
    instance.loginStatus = 3; // Logged: the SDK emits nothing while logged out
    instance.triggerEvent({ event: 'OnConnectSuccess', data: 'a', operationID: 'op' });
    instance.triggerEvent({ event: 'OnConnecting', data: 'b', operationID: 'op' });
    instance.triggerEvent({ event: 'OnSyncServerFinish', data: 'c', operationID: 'op' });
    expect(heard).toEqual(['OnConnectSuccess:a', 'OnSyncServerFinish:c']);
    expect(Object.keys(instance.events)).toEqual([]);
    sdk.dispose();
    instance.loginStatus = 3;
    instance.triggerEvent({ event: 'OnConnectSuccess', data: 'd', operationID: 'op' });
    expect(heard).toHaveLength(2);
  });

  it('changes no global: fetch, WebSocket and console stay the process\'s own', async () => {
    const before = { fetch: globalThis.fetch, WebSocket: (globalThis as { WebSocket?: unknown }).WebSocket, info: console.info, warn: console.warn };
    const sdk = createClientSdk();
    await sdk.invoke('login', { userID: 'u', token: 't', platformID: 5, apiAddr: 'http://127.0.0.1:0', wsAddr: 'hook-check://none', logLevel: 5 }, 'op').catch(() => undefined);
    sdk.dispose();
    expect({ fetch: globalThis.fetch, WebSocket: (globalThis as { WebSocket?: unknown }).WebSocket, info: console.info, warn: console.warn }).toEqual(before);
  });
});
