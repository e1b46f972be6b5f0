/**
 * Per-instance repairs of @openim/client-sdk 0.0.14's CJS build (lib/index.js), applied right
 * after an instance is built: each defect fixed where it starts, once, for every caller inside
 * the SDK. Every internal a repair replaces is listed in REPAIRED_INTERNALS and checked when the
 * bridge starts (sdkHooks.ts). Where the client SDK differs from the OpenIM SDK core, the SDK
 * core (openim-sdk-core v3.5.1) decides what is right.
 */

/** A message of a push or pull batch, as the SDK decodes it. */
interface BatchMessage {
  clientMsgID?: string;
  status?: number;
  options?: Record<string, boolean>;
}
type Batch = Record<string, { Msgs?: BatchMessage[] | null }>;
type Seqs = { hasReadSeq: number; maxSeq: number };
type Conversation = { unreadCount?: number };
type HttpRequest = { reqFuncName: string; data: unknown; operationID: string };

/** The internals the repairs touch (all checked at start-up: sdkHooks.ts). */
export interface RepairableSdk {
  messageTrigger?: {
    getOneConversationAndTryChange?: (conversationID: string, operationID: string, ...rest: unknown[]) => Promise<unknown>;
    getConversationsWithCacheByIDs?: (conversationIDs: string[], operationID: string) => Promise<unknown>;
    triggerConversation?: (batch: Batch, operationID: string) => Promise<void>;
    cache?: {
      getCachedConversation?: (conversationID: string) => Conversation | undefined;
      getCachedMaxReadSeq?: (conversationID: string) => Seqs | undefined;
    };
    syncer?: {
      pullMsgBySeqRange?: (ranges: unknown, operationID: string) => Promise<unknown>;
      syncAndTriggerMsgs?: (...args: unknown[]) => Promise<unknown>;
    };
    instance?: {
      sendHttpRequest?: (req: HttpRequest) => Promise<unknown>;
      generateHttpHeader?: (reqFuncName: string, operationID: string) => Record<string, string>;
    };
  };
}

/** Every internal a repair below replaces or calls, by its path from the instance. */
export const REPAIRED_INTERNALS: readonly string[] = [
  'messageTrigger.syncer.pullMsgBySeqRange',
  'messageTrigger.syncer.syncAndTriggerMsgs',
  'messageTrigger.getOneConversationAndTryChange',
  'messageTrigger.getConversationsWithCacheByIDs',
  'messageTrigger.triggerConversation',
  'messageTrigger.cache.getCachedConversation',
  'messageTrigger.cache.getCachedMaxReadSeq',
  'messageTrigger.instance.sendHttpRequest',
  'messageTrigger.instance.generateHttpHeader',
];

/** Called with what a fire-and-forget SDK task failed with (it would otherwise be an unhandled rejection). */
export type SdkTaskFailure = (task: string, err: unknown) => void;

/** What the bridge keeps of the repaired SDK. */
export interface RepairedSdk {
  /** getOneConversationAndTryChange as repaired, still rejecting (the bridge awaits it). */
  change?: (conversationID: string, operationID: string, fields: Record<string, unknown>) => Promise<unknown>;
}

export function repairSdk(sdk: RepairableSdk, onFailure: SdkTaskFailure): RepairedSdk {
  const trigger = sdk.messageTrigger;
  repairPullRanges(sdk);
  emptyRepliesAreEmptyMessages(sdk);
  nilListsAreEmpty(sdk);
  loadConversationsOnce(sdk);
  pushBatchesInOrder(sdk, onFailure);
  const change = trigger?.getOneConversationAndTryChange;
  settled(trigger, 'getOneConversationAndTryChange', onFailure);
  settled(trigger?.syncer, 'syncAndTriggerMsgs', onFailure);
  return { change: change && trigger ? (id, operationID, fields) => change.call(trigger, id, operationID, fields) : undefined };
}

/**
 * pullMsgBySeqRange spreads its Map with `[].concat(map.entries())`, which yields one iterator
 * instead of the entries, so it throws before sending anything: every pull after an upstream
 * reconnect failed. It is handed an object whose entries() is an array.
 */
function repairPullRanges(sdk: RepairableSdk): void {
  const syncer = sdk.messageTrigger?.syncer;
  const pull = syncer?.pullMsgBySeqRange;
  if (!syncer || !pull) return;
  syncer.pullMsgBySeqRange = (ranges, operationID) => {
    const entries = ranges instanceof Map ? [...ranges.entries()] : [];
    return pull.call(syncer, { entries: () => entries }, operationID);
  };
}

/**
 * A protobuf message with every field at its default encodes to no bytes, and OpenIM answers
 * it with an empty `data` (/jssdk/get_conversations for conversations with no visible message,
 * e.g. after deleteConversationAndDeleteAllMsg). The client SDK decodes only a non-empty
 * `data` and reads `.conversations` of the null it gets otherwise, so every conversation list
 * failed with 10006. Such an answer is handed on as the same empty message written with one
 * unknown field (field 15, varint 0), which every protobuf decoder skips: it decodes to the
 * defaults (empty lists, zero counts), as the SDK core decodes an empty body.
 */
export const EMPTY_PROTOBUF_MESSAGE = Buffer.from([0x78, 0x00]).toString('base64');
const PROTOBUF = 'application/x-protobuf';

function emptyRepliesAreEmptyMessages(sdk: RepairableSdk): void {
  const instance = sdk.messageTrigger?.instance;
  const send = instance?.sendHttpRequest;
  const header = instance?.generateHttpHeader;
  if (!instance || !send || !header) return;
  instance.sendHttpRequest = async (req) => {
    const data = await send.call(instance, req);
    if (data !== '' && data !== null && data !== undefined) return data;
    return header.call(instance, req.reqFuncName, req.operationID)['Content-Type'] === PROTOBUF ? EMPTY_PROTOBUF_MESSAGE : data;
  };
}

/**
 * Go writes an empty list or map the server never filled as `null` (and leaves an empty map out
 * under the protocol's `omitempty`); the SDK core reads both as empty. The client SDK reads two
 * such replies as filled: GetGroupMemberVersion's `respList` (Object.entries of null failed the
 * whole sync, and kept null as its versions, failing every later one) and GetSelfUserInfo's
 * `usersInfo` (`usersInfo[0]` of null). Those fields are handed on empty.
 */
export const NIL_REPLY_FIELDS: Readonly<Record<string, Readonly<Record<string, () => unknown>>>> = {
  GetGroupMemberVersion: { respList: () => ({}) },
  GetSelfUserInfo: { usersInfo: () => [] },
};

function nilListsAreEmpty(sdk: RepairableSdk): void {
  const instance = sdk.messageTrigger?.instance;
  const send = instance?.sendHttpRequest;
  if (!instance || !send) return;
  instance.sendHttpRequest = async (req) => {
    const data = await send.call(instance, req);
    const fields = NIL_REPLY_FIELDS[req.reqFuncName];
    if (!fields || typeof data !== 'object' || data === null) return data;
    const reply = data as Record<string, unknown>;
    for (const [field, empty] of Object.entries(fields)) if (reply[field] === null || reply[field] === undefined) reply[field] = empty();
    return reply;
  };
}

/**
 * getOneConversationAndTryChange fetches a conversation it has not cached, every time it is
 * called, and writes whatever answer arrives last into the cache, without the change it was
 * called for. Concurrent callers now share one load (getConversationsWithCacheByIDs, which
 * caches what it gets), and each then changes the cached conversation as for one it had.
 */
function loadConversationsOnce(sdk: RepairableSdk): void {
  const trigger = sdk.messageTrigger;
  const change = trigger?.getOneConversationAndTryChange;
  const load = trigger?.getConversationsWithCacheByIDs;
  const cache = trigger?.cache;
  if (!trigger || !change || !load || !cache?.getCachedConversation || !cache.getCachedMaxReadSeq) return;
  const loading = new Map<string, Promise<unknown>>();
  trigger.getOneConversationAndTryChange = async (id, operationID, ...rest) => {
    if (!cache.getCachedConversation!(id) && cache.getCachedMaxReadSeq!(id)) {
      let once = loading.get(id);
      if (!once) {
        once = load.call(trigger, [id], operationID).finally(() => loading.delete(id));
        loading.set(id, once);
      }
      await once;
      // The server has no such conversation for this user: nothing to change or announce.
      if (!cache.getCachedConversation!(id)) return undefined;
    }
    return change.call(trigger, id, operationID, ...rest);
  };
}

const isSet = (options: Record<string, boolean> | undefined, key: string): boolean => !options || !(key in options) || options[key] !== false;
const MSG_STATUS_HAS_DELETED = 4;

/** Conversations a batch will change that the SDK has not cached. */
function uncachedConversations(sdk: RepairableSdk, batch: Batch): string[] {
  const cache = sdk.messageTrigger?.cache;
  return Object.entries(batch)
    .filter(([id, { Msgs }]) => id && !cache?.getCachedConversation?.(id) && (Msgs ?? []).some((m) => m.clientMsgID && m.status !== MSG_STATUS_HAS_DELETED && isSet(m.options, 'conversationUpdate')))
    .map(([id]) => id);
}

/**
 * triggerConversation counts a pushed message into a cached conversation, but for one it has
 * not cached it starts a fetch of the server's conversation per message, unawaited; late
 * answers overwrite the counting done meanwhile, so unreadCount went 1, 2, 1 and latestMsg back
 * to an older message. The SDK core applies each push batch in order, to the conversation as
 * its database holds it (doMsgNew). So batches are applied one after another; before a batch
 * that reaches uncached conversations, they are loaded (for their names and settings), with
 * the unread count the SDK's own seqs give before this batch (a conversation it has no seqs
 * for is new: 0, as a conversation the SDK core creates from a push); the batch then counts
 * into them as into any cached conversation. A batch that needs no load, with none queued,
 * is handled at once, as before.
 */
function pushBatchesInOrder(sdk: RepairableSdk, onFailure: SdkTaskFailure): void {
  const trigger = sdk.messageTrigger;
  const handle = trigger?.triggerConversation;
  const load = trigger?.getConversationsWithCacheByIDs;
  const cache = trigger?.cache;
  if (!trigger || !handle || !load || !cache?.getCachedConversation || !cache.getCachedMaxReadSeq) return;
  let queued = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const loadBase = async (ids: string[], operationID: string): Promise<void> => {
    const seqs = new Map(ids.map((id) => [id, cache.getCachedMaxReadSeq!(id)]));
    try {
      await load.call(trigger, ids, operationID);
    } catch (err) {
      onFailure('getConversationsWithCacheByIDs', err);
      return;
    }
    for (const id of ids) {
      const c = cache.getCachedConversation!(id);
      const s = seqs.get(id);
      if (c) c.unreadCount = s ? Math.max(0, s.maxSeq - s.hasReadSeq) : 0;
    }
  };
  trigger.triggerConversation = (batch, operationID) => {
    if (queued === 0 && uncachedConversations(sdk, batch).length === 0) return handle.call(trigger, batch, operationID);
    queued++;
    const run = tail.then(async () => {
      try {
        const ids = uncachedConversations(sdk, batch);
        if (ids.length) await loadBase(ids, operationID);
        await handle.call(trigger, batch, operationID);
      } finally {
        queued--;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * triggerConversation calls getOneConversationAndTryChange, and compareSeqsAndBatchSync calls
 * syncAndTriggerMsgs, without awaiting them; when their REST call or pull fails (the server
 * restarting) the rejection was unhandled and ended the process (and the SDK's own awaiting
 * callers are async callbacks nobody awaits either). Their failure is reported to
 * `onFailure` and they resolve to undefined.
 */
function settled<K extends string>(owner: Partial<Record<K, (...args: never[]) => Promise<unknown>>> | undefined, name: K, onFailure: SdkTaskFailure): void {
  const fn = owner?.[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
  if (!owner || typeof fn !== 'function') return;
  owner[name] = ((...args: unknown[]) => {
    let p: Promise<unknown>;
    try {
      p = fn.apply(owner, args);
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.catch((err: unknown) => onFailure(name, err));
  }) as unknown as NonNullable<(typeof owner)[K]>;
}

/** Events after which the client SDK's caches hold what its login sync read, or never will. */
export const FIRST_SYNC_END_EVENTS: readonly string[] = ['OnSyncServerFinish', 'OnSyncServerFailed', 'OnConnectFailed', 'OnKickedOffline', 'OnUserTokenExpired', 'OnUserTokenInvalid'];

/**
 * The client SDK answers conversation lists, unread totals and profiles from caches that its
 * login sync fills after OnConnectSuccess (when the bridge answers Login); a call in between got
 * an empty list, and nothing later announced what the sync found (the sync fills the caches
 * silently). The SDK core answers from its database, which a login keeps. So calls made after
 * login wait until that first sync has ended.
 */
export class FirstSync {
  private opened: Promise<void> = Promise.resolve();
  private open?: () => void;

  /** login() was called: calls wait from now on. */
  begin(): void {
    if (this.open) return;
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  /** The sync ended (or the login failed, or the instance is disposed). */
  end(): void {
    this.open?.();
    this.open = undefined;
  }

  /** Resolves once no first sync is under way. */
  done(): Promise<void> {
    return this.opened;
  }
}
