/**
 * Every client-SDK internal the bridge hooks, repairs or drives, checked when the bridge starts.
 * They are not the SDK's API: a release that renames one would otherwise switch an SDK-core
 * rule or a repair off without a word. A missing one stops the start with the SDK's version.
 */
import { REPAIRED_INTERNALS } from './sdkRepairs';
import { clientSdkVersion, newSdkInstance, SUPPORTED_CLIENT_SDK_VERSION } from './sdkModule';

/** Internals of an instance as getSDK builds it (clientSdk.ts: SDK-core rule hooks, gateway requests, release). */
const INSTANCE_INTERNALS: readonly string[] = [
  'logout',
  'messageTrigger.triggerConversationNotification',
  'messageTrigger.syncer.compareVersionAndTrigger',
  'messageTrigger.getMessageWithCacheBySeqs',
  'messageTrigger.cache.updateCachedMaxReadSeq',
  'messageTrigger.instance.triggerEvent',
  'messageTrigger.instance.emit',
  'messageTrigger.instance.sendReqWaitResp',
  'messageTrigger.typingManager.send.dispose',
  'messageTrigger.typingManager.state.dispose',
  ...REPAIRED_INTERNALS,
];

/** Internals of the connection manager login() builds (heartbeat interval, release). */
const CONNECTION_INTERNALS: readonly string[] = ['wsManager.connect', 'wsManager.stopHeartbeat', 'wsManager.shouldReconnect', 'wsManager.heartbeatInterval', 'wsManager.ws'];

/** Every internal checked, by its path from the instance. */
export const HOOKED_INTERNALS: readonly string[] = [...INSTANCE_INTERNALS, ...CONNECTION_INTERNALS];

export class ClientSdkMismatchError extends Error {
  constructor(
    readonly version: string,
    readonly missing: readonly string[],
  ) {
    super(
      `@openim/client-sdk ${version} lacks internals the bridge hooks (written against ${SUPPORTED_CLIENT_SDK_VERSION}): ${missing.join(', ')}. ` +
        'Install the supported release, or adapt core_func/upstream (sdkRepairs.ts, clientSdk.ts) to this one.',
    );
    this.name = 'ClientSdkMismatchError';
  }
}

/** The value at a dotted path, or undefined when a step is missing. */
export function internalAt(root: unknown, path: string): { found: boolean; value: unknown } {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null || !(key in node)) return { found: false, value: undefined };
    node = (node as Record<string, unknown>)[key];
  }
  return { found: true, value: node };
}

/** A field (last step names no method) must exist; a method must be a function. */
function present(root: unknown, path: string): boolean {
  const { found, value } = internalAt(root, path);
  const field = /\.(ws|shouldReconnect|heartbeatInterval)$/.test(path);
  return found && (field || typeof value === 'function');
}

/**
 * A connection manager is built by login() only: the check logs in to an address whose scheme
 * no WebSocket accepts, so the socket constructor throws before anything is sent.
 */
function withConnectionManager(sdk: Record<string, unknown>): void {
  const login = sdk.login as ((config: Record<string, unknown>, operationID: string) => Promise<unknown>) | undefined;
  login?.({ userID: 'hook-check', token: 'hook-check', platformID: 5, apiAddr: 'http://127.0.0.1:0', wsAddr: 'hook-check://no-connection', logLevel: 5 }, 'hook-check')?.catch(() => undefined);
}

/** The paths `sdk` lacks (a fresh instance from getSDK, after its check login). */
export function missingInternals(sdk: unknown): string[] {
  return HOOKED_INTERNALS.filter((path) => !present(sdk, path));
}

/** Throws ClientSdkMismatchError unless every hooked internal is there; `build` is for tests. */
export function checkClientSdk(build: () => unknown = newSdkInstance): void {
  const sdk = build() as Record<string, unknown>;
  withConnectionManager(sdk);
  const missing = missingInternals(sdk);
  release(sdk);
  if (missing.length) throw new ClientSdkMismatchError(clientSdkVersion(), missing);
}

function release(sdk: Record<string, unknown>): void {
  const call = (path: string) => {
    const { value } = internalAt(sdk, path);
    if (typeof value === 'function') {
      const owner = internalAt(sdk, path.split('.').slice(0, -1).join('.')).value;
      (value as (this: unknown) => unknown).call(path.includes('.') ? owner : sdk);
    }
  };
  const manager = internalAt(sdk, 'wsManager').value as { shouldReconnect?: boolean } | undefined;
  if (manager) manager.shouldReconnect = false;
  call('wsManager.stopHeartbeat');
  call('messageTrigger.typingManager.send.dispose');
  call('messageTrigger.typingManager.state.dispose');
  (internalAt(sdk, 'logout').value as (() => Promise<unknown>) | undefined)?.call(sdk)?.catch(() => undefined);
}
