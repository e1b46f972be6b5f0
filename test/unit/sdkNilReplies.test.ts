/**
 * The client SDK 0.0.14 reading replies the server writes empty as Go does (core_func/upstream/
 * sdkRepairs.ts NIL_REPLY_FIELDS): a real SDK instance makes its own REST calls to the emulator.
 * Each case also runs unrepaired, which must fail: that is the crash the repair removes.
 */
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { newSdkInstance } from '../../core_func/upstream/sdkModule';
import { repairSdk } from '../../core_func/upstream/sdkRepairs';
import { envelope } from '../../emulator/http/goJson';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';

const WEB = 5;

interface SdkInternals {
  messageTrigger: { instance: Record<string, unknown>; typingManager: { send: { dispose(): void }; state: { dispose(): void } } };
  groupTrigger: { syncer: { syncedGroupMemberVersion: Record<string, unknown> | null; syncGroupInfoAndMemberVersion(op: string): Promise<void> } };
  userTrigger: { cache: { cachedLoginUserInfo: unknown; syncLoginUserInfoAndTrigger(op: string): Promise<void> } };
}

/** A client SDK instance logged in as far as its REST calls go (no gateway connection). */
function sdkFor(emulator: EmulatorHandle, userID: string, token: string, repaired: boolean): SdkInternals {
  const sdk = newSdkInstance() as unknown as SdkInternals;
  Object.assign(sdk.messageTrigger.instance, { userID, token, apiAddr: emulator.apiAddress, loginStatus: 3 });
  if (repaired) repairSdk(sdk as never, () => undefined);
  return sdk;
}

function release(sdk: SdkInternals): void {
  sdk.messageTrigger.typingManager.send.dispose();
  sdk.messageTrigger.typingManager.state.dispose();
}

describe.each([
  ['v3.8.0', true],
  ['v3.8.3', false],
] as const)('client SDK reading empty replies from a %s server', (profile, omitsEmptyMaps) => {
  let emulator: EmulatorHandle;
  let admin: string;

  beforeAll(async () => {
    emulator = await startEmulator({ apiPort: 0, wsPort: 0, profile });
    admin = await adminToken(emulator.apiAddress, emulator.secret);
  });
  afterAll(() => emulator.close());

  /**
   * GetIncrementalGroupMember leaves out a group whose status is already dismissed while its
   * members are still listed (before the push service deletes them): a batch of only such groups
   * answers an empty map, written by the emulator's Go JSON writer for this release. The emulator
   * deletes the members at once, so the reply is taken from its writer rather than its route.
   */
  function emptyBatchReply(): unknown {
    const body = envelope(0, '', '', { respList: new Map() }, { mapsOmitEmpty: omitsEmptyMaps });
    return (JSON.parse(body) as { data: unknown }).data;
  }

  async function resync(repaired: boolean): Promise<{ outcome: unknown; versions: Record<string, unknown> | null }> {
    const sdk = newSdkInstance() as unknown as SdkInternals;
    const instance = sdk.messageTrigger.instance;
    Object.assign(instance, { userID: 'member', token: 'token', apiAddr: emulator.apiAddress, loginStatus: 3 });
    instance.sendHttpRequest = async (req: { reqFuncName: string }) => {
      if (req.reqFuncName !== 'GetGroupMemberVersion') throw new Error(`unexpected ${req.reqFuncName}`);
      return emptyBatchReply();
    };
    if (repaired) repairSdk(sdk as never, () => undefined);
    try {
      // What the login sync kept; the reconnect's sync asks from there.
      sdk.groupTrigger.syncer.syncedGroupMemberVersion = { g1: { groupID: 'g1', version: 1, versionID: 'before' } };
      const outcome = await sdk.groupTrigger.syncer.syncGroupInfoAndMemberVersion('op-resync').then(
        () => 'synced',
        (err: unknown) => err,
      );
      return { outcome, versions: sdk.groupTrigger.syncer.syncedGroupMemberVersion };
    } finally {
      release(sdk);
    }
  }

  it('writes the empty batch as this release does', () => {
    expect(emptyBatchReply()).toEqual(omitsEmptyMaps ? {} : { respList: {} });
  });

  it('a group member version sync answered with no groups ends with no versions (repaired)', async () => {
    expect(await resync(true)).toEqual({ outcome: 'synced', versions: {} });
  });

  it(`without the repair it ${omitsEmptyMaps ? 'fails (respList left out of the reply)' : 'passes (respList written as {})'}`, async () => {
    const { outcome } = await resync(false);
    if (omitsEmptyMaps) expect(outcome).toBeInstanceOf(TypeError);
    else expect(outcome).toBe('synced');
  });

  async function selfInfoOfMissingUser(repaired: boolean): Promise<unknown> {
    const asker = uniqueUserID('ask');
    await registerUsers(emulator.apiAddress, admin, [{ userID: asker }]);
    const token = await userToken(emulator.apiAddress, admin, asker, WEB);
    // The server knows no user of this ID: its usersInfo is an empty list, written null.
    const sdk = sdkFor(emulator, uniqueUserID('gone'), token, repaired);
    try {
      sdk.userTrigger.cache.cachedLoginUserInfo = { userID: 'before', nickname: 'before' };
      return await sdk.userTrigger.cache.syncLoginUserInfoAndTrigger('op-self').then(
        () => 'synced',
        (err: unknown) => err,
      );
    } finally {
      release(sdk);
    }
  }

  it('a self-info sync answered with no user does not throw (repaired)', async () => {
    expect(await selfInfoOfMissingUser(true)).toBe('synced');
  });

  it('without the repair it throws on usersInfo[0] of null', async () => {
    expect(await selfInfoOfMissingUser(false)).toBeInstanceOf(TypeError);
  });
});
