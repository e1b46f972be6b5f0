/**
 * The narrow view of `@openim/client-sdk` 0.0.14 the bridge relies on, and how to build
 * and fully dispose an instance (the SDK starts timers it never stops on logout). The SDK
 * module itself, with its own fetch, WebSocket and console, comes from sdkModule.ts.
 */
import { newSdkInstance } from './sdkModule';
import { FIRST_SYNC_END_EVENTS, FirstSync, repairSdk, type SdkTaskFailure } from './sdkRepairs';

/** What every SDK method resolves to (rejections carry the same shape). */
export interface SdkResponse<T = unknown> {
  event: string;
  errCode: number;
  errMsg: string;
  data: T;
  operationID: string;
}

export interface SdkEvent {
  event: string;
  data: unknown;
  errCode: number;
  errMsg: string;
  operationID: string;
}

type SdkMethod = (...args: unknown[]) => Promise<SdkResponse>;

/** A message as the client SDK decodes it from a push or a pull (before it builds a MessageItem). */
export interface RawMessage {
  sendID: string;
  recvID: string;
  groupID: string;
  clientMsgID: string;
  seq: number;
  sessionType: number;
  contentType: number;
  sendTime: number;
  content: Uint8Array | string;
  /** OpenIM's message options; a key that is absent counts as true. */
  options?: Record<string, boolean>;
}

/** Messages by conversationID, as the client SDK hands them to its message trigger. */
export type RawMessageBatch = Record<string, { Msgs?: RawMessage[] }>;

/** The parts of the client SDK's message state a rule may read and change. */
export interface MessageState {
  readonly userID: string;
  /** The cached conversation (jssdk ConversationItem shape), if any. */
  cachedConversation(conversationID: string): { latestMsg?: string; unreadCount?: number } | undefined;
  /** Cached (or fetched) messages by seq; changing their fields changes what history answers. */
  messagesBySeqs(conversationID: string, seqs: number[], operationID: string): Promise<Array<Record<string, unknown> & { clientMsgID: string; seq: number; sessionType: number }>>;
  /** The client SDK's read position and newest seq of a conversation, if it tracks it. */
  readSeqs(conversationID: string): { hasReadSeq: number; maxSeq: number } | undefined;
  setHasReadSeq(conversationID: string, hasReadSeq: number): void;
  /** Merges fields into the cached conversation and emits OnConversationChanged. */
  changeConversation(conversationID: string, fields: Record<string, unknown>, operationID: string): Promise<void>;
  emit(event: string, data: unknown, operationID: string): void;
}

/** Where the bridge applies an SDK-core rule inside the client SDK's message handling (core_func/coreRules). */
export interface MessageHooks {
  /** Sees every batch of pushed or pulled messages before the client SDK handles it, and may change it. */
  beforeMessages?(batch: RawMessageBatch): void;
  /** Handles a conversation notification in place of the client SDK when it resolves true. */
  conversationNotification?(msg: RawMessage, operationID: string, state: MessageState): Promise<boolean>;
  /**
   * Sees each conversation the client SDK's incremental sync got from the server, with the cached
   * one: returns the fields to write (and announce), or undefined to leave it (no event).
   */
  syncedConversation?(server: Record<string, unknown>, cached: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
  /** Of fields the bridge writes into a cached conversation, those to write (and announce), or undefined when it holds them already. */
  unsetFields?(fields: Record<string, unknown>, cached: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
}

/** Internals touched only to release an instance; absent fields are tolerated. */
interface SdkInternals {
  wsManager?: {
    ws?: { readyState: number; close(): void; terminate?: () => void };
    stopHeartbeat?: () => void;
    connect?: () => Promise<void>;
    shouldReconnect?: boolean;
    heartbeatInterval?: number;
  };
  messageTrigger?: {
    typingManager?: { send?: { dispose(): void }; state?: { dispose(): void } };
    getOneConversationAndTryChange?: (conversationID: string, operationID: string, fields: Record<string, unknown>) => Promise<unknown>;
    triggerConversation?: (batch: RawMessageBatch, operationID: string) => Promise<void>;
    triggerConversationNotification?: (msg: RawMessage, operationID: string) => Promise<void>;
    /** The conversation syncer; compareVersionAndTrigger announces a GetIncrementalConversation answer's updates. */
    syncer?: { compareVersionAndTrigger?: (diff: { update?: Array<Record<string, unknown>> } & Record<string, unknown>) => void };
    getMessageWithCacheBySeqs?: (conversationID: string, seqs: number[], operationID: string) => Promise<{ messages: Array<Record<string, unknown> & { clientMsgID: string; seq: number; sessionType: number }> }>;
    cache?: {
      getCachedConversation?: (conversationID: string) => { latestMsg?: string; unreadCount?: number } | undefined;
      getCachedMaxReadSeq?: (conversationID: string) => { hasReadSeq: number; maxSeq: number } | undefined;
      updateCachedMaxReadSeq?: (conversationID: string, fields: { hasReadSeq: number }) => void;
    };
    /**
     * The SDK object itself, unwrapped (the exported one logs every call and expects a response:
     * its wrapper reads `.errCode` of every result and throws on a null one).
     */
    instance?: {
      triggerEvent?: (e: { event: string; data: unknown; operationID: string }) => void;
      /** Where triggerEvent hands every event to the instance's listeners (by name). */
      emit?: (event: string, e: SdkEvent) => unknown;
      sendReqWaitResp?: (req: { reqIdentifier: number; operationID: string; data: Uint8Array }) => Promise<unknown>;
    };
  };
  sendReqWaitResp?: (req: { reqIdentifier: number; operationID: string; data: Uint8Array }) => Promise<unknown>;
}

export interface ClientSdk {
  /**
   * `handler` hears every event named in `events`, as a listener registered with the SDK's
   * `on` for each would (one per instance; dispose() stops it).
   */
  listen(events: ReadonlySet<string>, handler: (e: SdkEvent) => void): void;
  /** Calls an SDK method by its name; the name always comes from our own adapter table. */
  invoke(method: string, ...args: unknown[]): Promise<SdkResponse>;
  /**
   * Writes fields into the SDK's cached conversation and emits OnConversationChanged. OpenIM
   * omits zero values from its JSON, so the SDK's own merge never sets a field back to 0/false.
   */
  patchConversation(conversationID: string, fields: Record<string, unknown>, operationID: string): Promise<void>;
  /**
   * Sets the interval of the SDK's `{"type":"ping"}` heartbeat (its own is 10 s, the largest
   * share of an idle bridge's frames). Call right after `login` was invoked: the connection
   * manager exists from then on and reads the interval when its socket opens.
   */
  setHeartbeatInterval(ms: number): void;
  /** Puts the SDK-core rules into the client SDK's message handling; call before login. */
  hookMessages(userID: string, hooks: MessageHooks): void;
  /** Sends one gateway request (e.g. 1002 pull by seq range) and resolves with its decoded answer. */
  gatewayRequest(reqIdentifier: number, data: Uint8Array, operationID: string): Promise<unknown>;
  dispose(): void;
}

const FIRST_SYNC_ENDS: ReadonlySet<string> = new Set(FIRST_SYNC_END_EVENTS);

/** The SDK's LogLevel.Silent: its login() otherwise turns its logger (its own: sdkModule.ts) to Debug. */
export const SDK_LOG_SILENT = 5;

/** `onTaskFailure` hears of the SDK's fire-and-forget tasks that failed (see sdkRepairs.ts). */
export function createClientSdk(onTaskFailure: SdkTaskFailure = () => undefined): ClientSdk {
  const sdk = newSdkInstance() as unknown as Record<string, unknown> & SdkInternals;
  const { change } = repairSdk(sdk as never, onTaskFailure);
  const firstSync = new FirstSync();
  const syncEnded = () => firstSync.end();
  let listener: { readonly events: ReadonlySet<string>; readonly handler: (e: SdkEvent) => void } | undefined;
  // One hook where the SDK emits, not a listener per event name: the SDK keeps its listeners in
  // an object keyed by name, and ~50 names made it a dictionary of one-element arrays (~6 KiB an instance).
  const target = sdk.messageTrigger?.instance;
  const emit = target?.emit;
  if (target && emit) {
    target.emit = function hooked(this: unknown, name, e) {
      if (FIRST_SYNC_ENDS.has(name)) firstSync.end();
      if (listener?.events.has(name)) listener.handler(e);
      return emit.call(this, name, e);
    };
  }
  let disposed = false;
  let unsetFields: MessageHooks['unsetFields'];
  return {
    listen(events, handler) {
      listener = { events, handler };
    },
    async invoke(method, ...args) {
      if (method !== 'login' && method !== 'logout') await firstSync.done();
      const fn = sdk[method] as SdkMethod | undefined;
      if (disposed) throw new Error('upstream session disposed');
      if (typeof fn !== 'function') throw new Error(`upstream SDK has no method ${method}`);
      if (method !== 'login') return fn(...args);
      firstSync.begin();
      // Synchronously, before the first await: the connection manager exists when this returns.
      const login = fn(...args);
      login.catch(syncEnded);
      return login;
    },
    async patchConversation(conversationID, fields, operationID) {
      if (disposed || !change) return;
      const cached = sdk.messageTrigger?.cache?.getCachedConversation?.(conversationID) as Record<string, unknown> | undefined;
      const toWrite = unsetFields ? unsetFields(fields, cached) : fields;
      if (toWrite) await change(conversationID, operationID, toWrite);
    },
    setHeartbeatInterval(ms) {
      if (sdk.wsManager) sdk.wsManager.heartbeatInterval = ms;
    },
    hookMessages(userID, hooks) {
      const trigger = sdk.messageTrigger;
      if (!trigger) return;
      const state: MessageState = {
        userID,
        cachedConversation: (id) => trigger.cache?.getCachedConversation?.(id),
        readSeqs: (id) => trigger.cache?.getCachedMaxReadSeq?.(id),
        setHasReadSeq: (id, hasReadSeq) => trigger.cache?.updateCachedMaxReadSeq?.(id, { hasReadSeq }),
        messagesBySeqs: async (id, seqs, operationID) => (await trigger.getMessageWithCacheBySeqs?.call(trigger, id, seqs, operationID))?.messages ?? [],
        changeConversation: async (id, fields, operationID) => void (await trigger.getOneConversationAndTryChange?.call(trigger, id, operationID, fields)),
        emit: (event, data, operationID) => trigger.instance?.triggerEvent?.({ event, data, operationID }),
      };
      // The SDK calls both through its message trigger object, so replacing the properties is enough.
      const messages = trigger.triggerConversation;
      if (messages && hooks.beforeMessages) {
        trigger.triggerConversation = (batch, operationID) => {
          hooks.beforeMessages!(batch);
          return messages.call(trigger, batch, operationID);
        };
      }
      unsetFields = hooks.unsetFields;
      const syncer = trigger.syncer;
      const compare = syncer?.compareVersionAndTrigger;
      if (syncer && compare && hooks.syncedConversation) {
        syncer.compareVersionAndTrigger = (diff) => {
          const update = (diff.update ?? []).flatMap((c) => {
            const fields = hooks.syncedConversation!(c, state.cachedConversation(String(c.conversationID)) as Record<string, unknown> | undefined);
            return fields ? [fields] : [];
          });
          compare.call(syncer, { ...diff, update });
        };
      }
      const notification = trigger.triggerConversationNotification;
      if (notification && hooks.conversationNotification) {
        trigger.triggerConversationNotification = async (msg, operationID) => {
          if (!disposed && (await hooks.conversationNotification!(msg, operationID, state))) return;
          return notification.call(trigger, msg, operationID);
        };
      }
    },
    async gatewayRequest(reqIdentifier, data, operationID) {
      // Past the Proxy: an answer with no fields (e.g. no conversations yet) decodes to null.
      const target = sdk.messageTrigger?.instance ?? sdk;
      const send = target.sendReqWaitResp;
      if (disposed) throw new Error('upstream session disposed');
      if (typeof send !== 'function') throw new Error('upstream SDK has no gateway requests');
      // It throws synchronously when the gateway is not connected; inside async that is a rejection.
      return send.call(target, { reqIdentifier, operationID, data });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      listener = undefined;
      firstSync.end();
      const ws = sdk.wsManager;
      const logout = sdk.logout as SdkMethod | undefined;
      // logout() resets state and closes an OPEN socket; a socket still CONNECTING, a pending
      // reconnect timer and the typing caches' intervals would otherwise outlive the session.
      logout?.().catch(() => undefined);
      if (ws) {
        ws.shouldReconnect = false;
        ws.connect = () => Promise.reject(new Error('disposed'));
        ws.stopHeartbeat?.();
        const socket = ws.ws;
        if (socket && socket.readyState !== 3) (socket.terminate ?? socket.close).call(socket);
      }
      sdk.messageTrigger?.typingManager?.send?.dispose();
      sdk.messageTrigger?.typingManager?.state?.dispose();
    },
  };
}
