/**
 * Runs the unmodified `@openim/client-sdk` in Node: a logged-in instance, an event recorder
 * that waits for events (never sleeps), and a dispose that releases every timer and socket.
 */
import { CbEvents, LogLevel } from '@openim/client-sdk';
import { newSdkInstance } from '../../core_func/upstream/sdkModule';
import type { ApiService } from '@openim/client-sdk';

export const DEFAULT_WAIT_MS = 10_000;
export const WEB_PLATFORM_ID = 5;

export interface RecordedEvent {
  event: string;
  data: unknown;
  errCode: number;
  errMsg: string;
  operationID: string;
  at: number;
}

type Waiter = { match: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void };

/** Records every callback the SDK emits. */
export class EventRecorder {
  readonly history: RecordedEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  record(e: RecordedEvent): void {
    this.history.push(e);
    for (const w of [...this.waiters]) {
      if (w.match(e)) {
        this.waiters.delete(w);
        w.resolve(e);
      }
    }
  }

  /** Index to pass as `since` so only later events count. */
  mark(): number {
    return this.history.length;
  }

  all(event: string): RecordedEvent[] {
    return this.history.filter((e) => e.event === event);
  }

  /** Resolves with the first event (already recorded from `since`, or still to come) that matches. */
  waitFor(
    event: string,
    predicate: (e: RecordedEvent) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
    since = 0,
  ): Promise<RecordedEvent> {
    return this.waitForMatch((e) => e.event === event && predicate(e), event, timeoutMs, since);
  }

  /** Resolves with the first event whose name is one of `names`. */
  waitForAnyOf(names: string[], timeoutMs = DEFAULT_WAIT_MS, since = 0): Promise<RecordedEvent> {
    return this.waitForMatch((e) => names.includes(e.event), names.join(' | '), timeoutMs, since);
  }

  private waitForMatch(
    match: (e: RecordedEvent) => boolean,
    description: string,
    timeoutMs: number,
    since: number,
  ): Promise<RecordedEvent> {
    const past = this.history.slice(since).find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.history.map((e) => e.event).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}; seen: ${seen}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

export interface LoginOptions {
  userID: string;
  token: string;
  wsAddr: string;
  apiAddr: string;
  platformID?: number;
}

export interface SdkClient {
  readonly sdk: ApiService;
  readonly events: EventRecorder;
  readonly userID: string;
  dispose(): Promise<void>;
}

interface SdkEvent {
  data: unknown;
  errCode: number;
  errMsg: string;
  operationID: string;
}

/** getSDK's declared type leaves out the emitter it returns. */
type EmittingSdk = ApiService & { on(event: CbEvents, fn: (e: SdkEvent) => void): unknown };

const FAILURE_EVENTS = [CbEvents.OnSyncServerFailed, CbEvents.OnConnectFailed, CbEvents.OnUserTokenInvalid, CbEvents.OnUserTokenExpired, CbEvents.OnKickedOffline];

/** Creates an SDK instance with an event recorder attached; no login yet. */
export function createSdkClient(userID: string): SdkClient {
  const sdk = newSdkInstance() as unknown as EmittingSdk;
  const events = new EventRecorder();
  for (const name of Object.values(CbEvents)) {
    sdk.on(name, (e) => {
      // runs inside the SDK's message handler, before the server's close reaches it
      if (STOP_RECONNECT_EVENTS.has(name)) stopReconnect(sdk);
      events.record({
        event: name,
        data: e.data,
        errCode: e.errCode,
        errMsg: e.errMsg,
        operationID: e.operationID,
        at: Date.now(),
      });
    });
  }
  let disposed = false;
  return {
    sdk,
    events,
    userID,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      stopReconnect(sdk);
      await sdk.logout().catch(() => undefined);
      releaseSdkTimers(sdk);
    },
  };
}

/**
 * The SDK reconnects every 5 s after any close, even one that follows a token error; a test
 * client stops that as soon as the failure is reported so no timer outlives the test.
 */
const STOP_RECONNECT_EVENTS: ReadonlySet<string> = new Set([
  CbEvents.OnConnectFailed,
  CbEvents.OnUserTokenInvalid,
  CbEvents.OnUserTokenExpired,
  CbEvents.OnKickedOffline,
]);

interface WsManagerInternals {
  shouldReconnect?: boolean;
  close?: () => void;
  stopHeartbeat?: () => void;
}

function stopReconnect(sdk: ApiService): void {
  const manager = (sdk as unknown as { wsManager?: WsManagerInternals }).wsManager;
  if (!manager) return;
  manager.shouldReconnect = false;
  manager.close?.();
  manager.stopHeartbeat?.();
}

/** The typing-state caches start intervals in the SDK constructor that nothing public stops. */
function releaseSdkTimers(sdk: ApiService): void {
  const trigger = (sdk as unknown as { messageTrigger?: { typingManager?: Record<string, unknown> } }).messageTrigger;
  const typing = trigger?.typingManager;
  for (const key of ['send', 'state']) {
    const cache = typing?.[key] as { dispose?: () => void } | undefined;
    cache?.dispose?.();
  }
}

/** Logs in and resolves once the SDK reports OnSyncServerFinish; rejects on a failure event. */
export async function loginSdk(client: SdkClient, opts: LoginOptions, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const since = client.events.mark();
  await client.sdk.login({
    userID: opts.userID,
    token: opts.token,
    wsAddr: opts.wsAddr,
    apiAddr: opts.apiAddr,
    platformID: opts.platformID ?? WEB_PLATFORM_ID,
    logLevel: LogLevel.Silent,
  });
  const outcome = await client.events.waitForAnyOf([CbEvents.OnSyncServerFinish, ...FAILURE_EVENTS], timeoutMs, since);
  if (outcome.event !== CbEvents.OnSyncServerFinish) {
    throw new Error(`login of ${opts.userID} failed: ${outcome.event} ${outcome.errCode} ${outcome.errMsg}`);
  }
}

/** Creates, logs in and returns a client; disposes it again if login fails. */
export async function loggedInClient(opts: LoginOptions, timeoutMs = DEFAULT_WAIT_MS): Promise<SdkClient> {
  const client = createSdkClient(opts.userID);
  try {
    await loginSdk(client, opts, timeoutMs);
  } catch (err) {
    await client.dispose();
    throw err;
  }
  return client;
}
