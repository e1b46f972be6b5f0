/**
 * A load-generator process: holds jssdk clients (through the bridge) or `@openim/client-sdk`
 * clients (straight to the emulator) and runs the commands the orchestrator sends over IPC.
 * Every loop is bounded in count and time; every address is 127.0.0.1.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
// A browser page's global WebSocket for both SDKs: `ws`, reading binary as ArrayBuffer.
globalThis.WebSocket = class BrowserLikeWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols);
    this.binaryType = 'arraybuffer';
  }
};
const { OpenIMSDK, CbEvents: JsEvents } = require('open-im-sdk');
const { getSDK, CbEvents: SdkEvents, LogLevel } = require('@openim/client-sdk');

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

const WEB = 5;
const clients = new Map(); // userID -> { kind, sdk, token }
const tokens = new Map();
/** tag -> [{ at, sentAt }] : every bench message received, by the tag in its text. */
const received = new Map();
const recvWaiters = new Set();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms))),
  ]);
}

/** Bench texts are `bench:<tag>:<sentAtMs>`. */
function noteMessages(userID, data) {
  const at = now();
  let list = data;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch {
      return;
    }
  }
  if (!Array.isArray(list)) return;
  for (const m of list) {
    const text = m?.textElem?.content;
    if (typeof text !== 'string' || !text.startsWith('bench:')) continue;
    const [, tag, sentAt] = text.split(':');
    let arr = received.get(tag);
    if (!arr) received.set(tag, (arr = []));
    arr.push({ at, sentAt: Number(sentAt), userID });
    for (const w of recvWaiters) if (w.tag === tag && counted(arr, w.exclude) >= w.count) w.done();
  }
}

async function pool(items, concurrency, fn) {
  let next = 0;
  const results = new Array(items.length);
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

let opCounter = 0;
async function post(apiAddr, token, path, body) {
  const headers = { 'content-type': 'application/json', operationID: `bench-${process.pid}-${++opCounter}` };
  if (token) headers.token = token;
  const res = await fetch(apiAddr + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const env = await res.json();
  if (env.errCode !== 0) throw new Error(`${path}: ${env.errCode} ${env.errMsg} ${env.errDlt ?? ''}`);
  return env.data;
}

async function adminToken(apiAddr, secret) {
  return (await post(apiAddr, '', '/auth/get_admin_token', { secret, userID: 'imAdmin' })).token;
}

const commands = {
  /** Registers the users (in batches) and fetches a token for each. */
  async prepare({ apiAddr, secret, userIDs, concurrency = 20 }) {
    const admin = await adminToken(apiAddr, secret);
    for (let i = 0; i < userIDs.length; i += 500) {
      const users = userIDs.slice(i, i + 500).map((userID) => ({ userID, nickname: userID, faceURL: '' }));
      await post(apiAddr, admin, '/user/user_register', { users });
    }
    await pool(userIDs, concurrency, async (userID) => {
      tokens.set(userID, (await post(apiAddr, admin, '/auth/get_user_token', { userID, platformID: WEB })).token);
    });
    return { users: userIDs.length };
  },

  /** Logs the users in, `concurrency` at a time; kind 'jssdk' (wsAddr = bridge) or 'direct' (wsAddr = emulator). */
  async login({ kind, wsAddr, apiAddr, userIDs, concurrency = 50, timeoutMs = 60_000 }) {
    const startedAt = now();
    const failures = [];
    await pool(userIDs, concurrency, async (userID) => {
      try {
        await withTimeout(kind === 'jssdk' ? loginJssdk(userID, wsAddr, apiAddr) : loginDirect(userID, wsAddr, apiAddr), timeoutMs, `login ${userID}`);
      } catch (err) {
        failures.push(String(err?.message ?? err?.errMsg ?? JSON.stringify(err)));
      }
    });
    return { ok: userIDs.length - failures.length, failed: failures.length, errors: failures.slice(0, 3), startedAt, endedAt: now() };
  },

  /** Sequential calls of one method by one client; latencies in ms. */
  async rtt({ userID, method, n, warmup = 20, conversationID = '' }) {
    const c = clients.get(userID);
    let k = 0;
    const calls = {
      GetLoginStatus: () => c.sdk.getLoginStatus(),
      GetSelfUserInfo: () => c.sdk.getSelfUserInfo(),
      // local-only methods (the state store): one write, one write of a growing set, one merged read
      SetConversationDraft: () => c.sdk.setConversationDraft({ conversationID, draftText: `draft ${k++}` }),
      DeleteMessageFromLocalStorage: () => c.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: `bench-${k++ % 50}` }),
      GetAllConversationList: () => c.sdk.getAllConversationList(),
    };
    const call = calls[method];
    const lat = [];
    for (let i = 0; i < warmup + n; i++) {
      const t = now();
      // against the echo floor the jssdk rejects the echoed frame (it has no errCode): still a full round trip
      await withTimeout(call().catch(() => undefined), 10_000, method);
      if (i >= warmup) lat.push(now() - t);
    }
    return lat;
  },

  /** A jssdk client against an arbitrary server (the echo floor): connect only, Login settles either way. */
  async connectOnly({ userID, wsAddr }) {
    const sdk = new OpenIMSDK();
    clients.set(userID, { kind: 'jssdk', sdk });
    await sdk.login({ userID, token: 'echo', wsAddr, apiAddr: 'http://127.0.0.1:1', platformID: WEB }).catch(() => undefined);
    return {};
  },

  /** A bare `ws` client: the same frame bytes the jssdk sends, echoed back. */
  async rawEchoRtt({ wsAddr, n, warmup = 20 }) {
    const ws = new WebSocket(wsAddr);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const frame = JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: '0123456789abcdef0123456789abcdef', userID: 'u', data: '[]' });
    const lat = [];
    for (let i = 0; i < warmup + n; i++) {
      const t = now();
      await withTimeout(new Promise((resolve) => { ws.once('message', resolve); ws.send(frame); }), 10_000, 'echo');
      if (i >= warmup) lat.push(now() - t);
    }
    ws.close();
    return lat;
  },

  /** A→B text messages, one at a time: from just before sendMessage until B's OnRecvNewMessages. */
  async sendRtt({ from, to, n, warmup = 5 }) {
    const a = clients.get(from);
    const lat = [];
    for (let i = 0; i < warmup + n; i++) {
      const tag = `rtt${process.pid}x${i}`;
      const created = await a.sdk.createTextMessage(`bench:${tag}:0`);
      const t = now();
      const got = waitRecv(tag, 1, 10_000, [from]);
      await a.sdk.sendMessage({ recvID: to, groupID: '', message: created.data });
      const r = (await got).find((x) => x.userID === to);
      if (i >= warmup) lat.push(r.at - t);
      received.delete(tag);
    }
    return lat;
  },

  /** Receipts of a tag by this process's clients, once `count` have arrived (or the timeout passed). */
  async awaitRecv({ tag, count, timeoutMs, exclude }) {
    const list = await waitRecv(tag, count, timeoutMs, exclude).catch(() => received.get(tag) ?? []);
    received.delete(tag);
    return exclude ? list.filter((r) => !exclude.includes(r.userID)) : list;
  },

  /** Every receipt of tags that start with `prefix`, then forgets them. */
  async drainRecv({ prefix }) {
    const out = [];
    for (const [tag, list] of received) {
      if (!tag.startsWith(prefix)) continue;
      for (const r of list) out.push(r);
      received.delete(tag);
    }
    return out;
  },

  /**
   * Offered load: `rate` messages/s to the receivers in turn, as admin batch sends of `batch`
   * receivers each, for `durationMs`. Each text carries its send time.
   */
  async sendLoad({ apiAddr, secret, sendID, recvIDs, rate, durationMs, tag, batch = 20, maxInflight = 64 }) {
    const admin = await adminToken(apiAddr, secret);
    const started = now();
    const intervalMs = (1000 * batch) / rate;
    let sent = 0;
    let failed = 0;
    let inflight = 0;
    let skipped = 0;
    let k = 0;
    const total = Math.floor((rate * durationMs) / 1000);
    const pending = new Set();
    let issued = 0;
    for (let b = 0; issued < total; b++) {
      const due = started + b * intervalMs;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (now() - started > durationMs * 2) break; // bounded in time whatever happens
      const n = Math.min(batch, total - issued);
      issued += n;
      if (inflight >= maxInflight) {
        skipped += n; // the sender itself is saturated: count, do not queue without bound
        continue;
      }
      const ids = [];
      for (let i = 0; i < n; i++) ids.push(recvIDs[k++ % recvIDs.length]);
      const text = `bench:${tag}:${now()}`;
      inflight++;
      const p = post(apiAddr, admin, '/msg/batch_send_msg', { sendID, recvIDs: ids, senderPlatformID: WEB, contentType: 101, sessionType: 1, content: { content: text }, isOnlineOnly: false })
        .then((d) => { sent += n - (d?.failedUserIDs?.length ?? 0); failed += d?.failedUserIDs?.length ?? 0; })
        .catch(() => { failed += n; })
        .finally(() => { inflight--; pending.delete(p); });
      pending.add(p);
    }
    await Promise.all(pending);
    return { sent, failed, skipped, elapsedMs: now() - started };
  },

  async cpu() {
    const u = process.cpuUsage();
    return { cpuMs: (u.user + u.system) / 1000, rss: process.memoryUsage().rss };
  },

  /** Heap and RSS right after a full GC (the generator runs with --expose-gc): what its clients hold. */
  async memory() {
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, clients: clients.size };
  },

  async logoutAll({ concurrency = 100 } = {}) {
    const list = [...clients.values()];
    await pool(list, concurrency, async (c) => {
      try {
        if (c.kind === 'jssdk') {
          c.sdk.wsManager?.close();
        } else {
          const m = c.sdk.wsManager;
          if (m) m.shouldReconnect = false;
          await withTimeout(c.sdk.logout().catch(() => undefined), 2_000, 'logout').catch(() => undefined);
          m?.close?.();
          m?.stopHeartbeat?.();
        }
      } catch {
        /* best effort */
      }
    });
    clients.clear();
    return { closed: list.length };
  },
};

const counted = (list, exclude) => (exclude ? list.filter((r) => !exclude.includes(r.userID)).length : list.length);

function waitRecv(tag, count, timeoutMs, exclude) {
  const have = received.get(tag) ?? [];
  if (counted(have, exclude) >= count) return Promise.resolve(have);
  return new Promise((resolve, reject) => {
    const w = {
      tag,
      count,
      exclude,
      done: () => {
        clearTimeout(timer);
        recvWaiters.delete(w);
        resolve(received.get(tag) ?? []);
      },
    };
    const timer = setTimeout(() => {
      recvWaiters.delete(w);
      reject(new Error(`${tag}: ${(received.get(tag) ?? []).length}/${count} received after ${timeoutMs} ms`));
    }, timeoutMs);
    recvWaiters.add(w);
  });
}

async function loginJssdk(userID, wsAddr, apiAddr) {
  const sdk = new OpenIMSDK();
  sdk.on(JsEvents.OnRecvNewMessages, (e) => noteMessages(userID, e.data));
  clients.set(userID, { kind: 'jssdk', sdk });
  try {
    await sdk.login({ userID, token: tokens.get(userID), wsAddr, apiAddr, platformID: WEB });
  } catch (e) {
    sdk.wsManager?.close();
    clients.delete(userID);
    throw new Error(`jssdk login ${e?.errCode ?? ''} ${e?.errMsg ?? e}`);
  }
}

// Not core_func's newSdkInstance: these drivers also run against other checkouts' dist/ (BENCH_ROOT).
function quietly(fn) {
  const info = console.info;
  console.info = () => undefined;
  try {
    return fn();
  } finally {
    console.info = info;
  }
}

async function loginDirect(userID, wsAddr, apiAddr) {
  const sdk = quietly(() => getSDK());
  clients.set(userID, { kind: 'direct', sdk });
  const settled = new Promise((resolve, reject) => {
    sdk.on(SdkEvents.OnSyncServerFinish, resolve);
    for (const ev of [SdkEvents.OnConnectFailed, SdkEvents.OnUserTokenInvalid, SdkEvents.OnUserTokenExpired, SdkEvents.OnKickedOffline]) {
      sdk.on(ev, (e) => reject(new Error(`${ev} ${e?.errCode} ${e?.errMsg}`)));
    }
  });
  sdk.on(SdkEvents.OnRecvNewMessages, (e) => noteMessages(userID, e.data));
  await sdk.login({ userID, token: tokens.get(userID), wsAddr, apiAddr, platformID: WEB, logLevel: LogLevel.Silent });
  await settled;
}

process.on('message', async (msg) => {
  const { id, cmd, args } = msg;
  try {
    const result = await commands[cmd](args ?? {});
    process.send({ id, result });
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', () => undefined);
process.send({ ready: true });
