/**
 * Per-instance repairs of @openim/client-sdk 0.0.14's CJS build (lib/index.js, what `require`
 * loads), applied right after an instance is built. The package's lib/index.modern.mjs has
 * neither fault, but it is an ES module: jest's module loader (and Node < 20.19) cannot
 * `require` it, so repairing two methods is cleaner than loading another build.
 */

/** The internals the repairs touch; absent ones are left alone. */
interface RepairableSdk {
  messageTrigger?: {
    getOneConversationAndTryChange?: (...args: unknown[]) => Promise<unknown>;
    syncer?: {
      pullMsgBySeqRange?: (ranges: unknown, operationID: string) => Promise<unknown>;
      syncAndTriggerMsgs?: (...args: unknown[]) => Promise<unknown>;
    };
  };
}

/** Called with what a fire-and-forget SDK task failed with (it would otherwise be an unhandled rejection). */
export type SdkTaskFailure = (task: string, err: unknown) => void;

/**
 * 1. pullMsgBySeqRange spreads its Map with `[].concat(map.entries())`, which yields one
 *    iterator instead of the entries, so it throws before sending anything: every pull after
 *    an upstream reconnect failed. It is handed an object whose entries() is an array.
 * 2. triggerConversation calls getOneConversationAndTryChange, and compareSeqsAndBatchSync
 *    calls syncAndTriggerMsgs, without awaiting them; when their REST call or pull fails (the
 *    server restarting) the rejection was unhandled and ended the process (and the SDK's
 *    own awaiting callers are async callbacks nobody awaits either). Their failure is
 *    reported to `onFailure` and they resolve to undefined; the bridge's own conversation
 *    patch keeps the original, which it awaits (returned).
 */
export function repairSdk(sdk: RepairableSdk, onFailure: SdkTaskFailure): ((...args: unknown[]) => Promise<unknown>) | undefined {
  const trigger = sdk.messageTrigger;
  const syncer = trigger?.syncer;
  const pull = syncer?.pullMsgBySeqRange;
  if (syncer && pull) {
    syncer.pullMsgBySeqRange = (ranges, operationID) => {
      const entries = ranges instanceof Map ? [...ranges.entries()] : [];
      return pull.call(syncer, { entries: () => entries }, operationID);
    };
  }
  const change = trigger?.getOneConversationAndTryChange;
  settled(trigger, 'getOneConversationAndTryChange', onFailure);
  settled(syncer, 'syncAndTriggerMsgs', onFailure);
  return change && trigger ? change.bind(trigger) : undefined;
}

/** Wraps `owner[name]` so its promise never rejects: a failure goes to `onFailure`. */
function settled<K extends string>(owner: Partial<Record<K, (...args: unknown[]) => Promise<unknown>>> | undefined, name: K, onFailure: SdkTaskFailure): void {
  const fn = owner?.[name];
  if (!owner || typeof fn !== 'function') return;
  owner[name] = ((...args: unknown[]) => {
    let p: Promise<unknown>;
    try {
      p = fn.apply(owner, args);
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.catch((err: unknown) => onFailure(name, err));
  }) as (typeof owner)[K];
}
