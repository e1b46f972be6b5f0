/**
 * The benchmark cases. Each starts its own emulator, bridge and generator processes, measures,
 * and stops them again; every figure comes with its baseline from the same run.
 */
import { cpuWindow, sleep, startBridge, startEcho, startEmulator, startGenerator, startRedisServer } from './lib/procs.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, percentile, summary } from './lib/stats.mjs';

const now = () => performance.timeOrigin + performance.now();
let runID = Date.now().toString(36);
const users = (prefix, n, from = 0) => Array.from({ length: n }, (_, i) => `b${runID}_${prefix}${from + i}`);

async function withProcs(fn) {
  const stops = [];
  const keep = (p) => (stops.push(p), p);
  try {
    return await fn(keep);
  } finally {
    for (const p of stops.reverse()) await p.stop().catch(() => undefined);
  }
}

/** Alternates A and B in `rounds` chunks so that drift on a shared machine hits both alike. */
async function interleaved(rounds, a, b) {
  const la = [];
  const lb = [];
  for (let r = 0; r < rounds; r++) {
    la.push(...(await a()));
    lb.push(...(await b()));
  }
  return [la, lb];
}

/** Loopback sockets in TIME_WAIT on the machine (/proc/net/sockstat), undefined where unreadable. */
function timeWaitSockets() {
  try {
    const m = /^TCP:.* tw (\d+)/m.exec(fs.readFileSync('/proc/net/sockstat', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits (at most `maxMs`: in a full run the kernel's 60 s TIME_WAIT and a little) until the
 * sockets an earlier run closed have left TIME_WAIT, so a build measured right after another's
 * 10,000-session step starts from the same socket state as the first. Returns how many were left.
 */
async function quietSockets(maxMs, under = 500) {
  const t0 = Date.now();
  let tw = timeWaitSockets();
  while (tw !== undefined && tw >= under && Date.now() - t0 < maxMs) {
    await sleep(1000);
    tw = timeWaitSockets();
  }
  return tw;
}

/** Waits until the process's CPU over `windowMs` falls under `pct` % (or `maxMs` passed). */
let settleWindowMs = 1000;
async function settle(procs, { pct = 10, windowMs = settleWindowMs, maxMs = 30_000 } = {}) {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const w = cpuWindow(procs);
    await sleep(windowMs);
    const cpu = w.end();
    if (Object.entries(cpu).every(([k, v]) => k === 'machine' || v < pct)) return;
  }
}

/** Profiles the bridge over `fn` when --profile-phases DIR is given. */
async function phase(cfg, bridge, name, fn) {
  if (!cfg.profileDir || !bridge) return fn();
  await bridge.profileStart();
  try {
    return await fn();
  } finally {
    await bridge.profileStop(path.join(cfg.profileDir, `${name}.cpuprofile`));
  }
}

/** Splits a list into `k` nearly equal parts. */
const split = (list, k) => Array.from({ length: k }, (_, i) => list.filter((_, j) => j % k === i));

async function post(apiAddr, token, path, body) {
  const headers = { 'content-type': 'application/json', operationID: `bench-${Date.now()}-${Math.random()}` };
  if (token) headers.token = token;
  const res = await fetch(apiAddr + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const env = await res.json();
  if (env.errCode !== 0) throw new Error(`${path}: ${env.errCode} ${env.errMsg} ${env.errDlt ?? ''}`);
  return env.data;
}
const adminToken = async (emu) => (await post(emu.apiAddress, '', '/auth/get_admin_token', { secret: emu.secret, userID: 'imAdmin' })).token;

/**
 * How every case starts its bridge: the run's --cpu-prof and --bridge-flags, plus the case's own flags.
 * Logins unpaced (--logins_per_second 0): the cases measure what the bridge can do, not the pace an
 * operator sets (--bridge-flags may set one, later flags win).
 */
function bridgeSetup(cfg, extraArgs = []) {
  // an earlier build (--baseline-commit) knows no login pace and no such flag
  const unpaced = cfg.bridgeRoot ? [] : ['--logins_per_second', '0'];
  return { cpuProfDir: cfg.cpuProfDir, extraArgs: [...unpaced, ...cfg.bridgeFlags, ...extraArgs], bridgeRoot: cfg.bridgeRoot };
}

/** 1. GetLoginStatus (answered by the bridge itself) vs a bare ws echo server in its own process. */
export async function localRoundTrip(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const bridge = keep(await startBridge(emu, bridgeSetup(cfg)));
    const echo = keep(await startEcho());
    const g = keep(await startGenerator('gen'));
    const [u] = users('rtt', 1);
    await g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [u] });
    const login = await g.call('login', { kind: 'jssdk', wsAddr: bridge.wsAddress, apiAddr: emu.apiAddress, userIDs: [u] });
    if (login.failed) throw new Error(`login failed: ${login.errors.join('; ')}`);
    await g.call('connectOnly', { userID: 'echo-floor', wsAddr: echo.wsAddress });
    await settle([bridge, emu], { maxMs: 10_000 });
    const per = Math.ceil(cfg.rttN / cfg.rounds);
    // the three paths alternate in rounds, so that a busy moment of the machine hits all alike
    const viaBridge = [];
    const viaEcho = [];
    const raw = [];
    for (let r = 0; r < cfg.rounds; r++) {
      viaBridge.push(...(await phase(cfg, bridge, 'local-GetLoginStatus', () => g.call('rtt', { userID: u, method: 'GetLoginStatus', n: per }))));
      viaEcho.push(...(await g.call('rtt', { userID: 'echo-floor', method: 'GetLoginStatus', n: per })));
      raw.push(...(await g.call('rawEchoRtt', { wsAddr: echo.wsAddress, n: per })));
    }
    return { bridge: summary(viaBridge), jssdkEcho: summary(viaEcho), rawEcho: summary(raw) };
  });
}

/** 2. GetSelfUserInfo and SendMessage A→B: jssdk through the bridge vs client-sdk straight to the emulator. */
export async function upstreamRoundTrip(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const bridge = keep(await startBridge(emu, bridgeSetup(cfg)));
    const g = keep(await startGenerator('gen'));
    const [a, b, c, d] = users('up', 4);
    await g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [a, b, c, d] });
    for (const [kind, ids, wsAddr] of [['jssdk', [a, b], bridge.wsAddress], ['direct', [c, d], emu.wsAddress]]) {
      const r = await g.call('login', { kind, wsAddr, apiAddr: emu.apiAddress, userIDs: ids });
      if (r.failed) throw new Error(`${kind} login failed: ${r.errors.join('; ')}`);
    }
    await settle([bridge, emu], { maxMs: 10_000 });
    const per = Math.ceil(cfg.rttN / cfg.rounds);
    const [selfBridge, selfDirect] = await interleaved(
      cfg.rounds,
      () => phase(cfg, bridge, 'upstream-GetSelfUserInfo', () => g.call('rtt', { userID: a, method: 'GetSelfUserInfo', n: per })),
      () => g.call('rtt', { userID: c, method: 'GetSelfUserInfo', n: per }),
    );
    const perSend = Math.ceil(cfg.sendN / cfg.rounds);
    const [sendBridge, sendDirect] = await interleaved(
      cfg.rounds,
      () => phase(cfg, bridge, 'upstream-SendMessage', () => g.call('sendRtt', { from: a, to: b, n: perSend })),
      () => g.call('sendRtt', { from: c, to: d, n: perSend }),
    );
    return {
      getSelfUserInfo: { bridge: summary(selfBridge), direct: summary(selfDirect) },
      sendMessage: { bridge: summary(sendBridge), direct: summary(sendDirect) },
    };
  });
}

/** Sum of the memory the processes hold after a full GC in each (generators of direct client-SDK sessions). */
async function generatorMemory(gens) {
  const all = await Promise.all(gens.map((g) => g.call('memory', {})));
  return { heapUsed: all.reduce((s, m) => s + m.heapUsed, 0), rss: all.reduce((s, m) => s + m.rss, 0) };
}

/** CPU seconds of a cpuWindow reading (% of one core over `seconds`) for the named processes together. */
const cpuSecondsOf = (pcts, names, seconds) => (names.reduce((s, n) => s + (pcts[n] ?? 0), 0) / 100) * seconds;

/**
 * 3 (and 6). Log in growing numbers of jssdk sessions; memory per idle session, login rate, idle
 * CPU, latency. Each step is taken twice in turn: jssdk sessions through the bridge, then as many
 * `@openim/client-sdk` instances straight to the emulator in generator processes of their own
 * (the direct baseline: what the client SDK itself costs per login, per idle session and in memory).
 */
export async function sessions(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const bridge = keep(await startBridge(emu, bridgeSetup(cfg)));
    const gens = [];
    const dgens = [];
    for (let i = 0; i < cfg.generators; i++) gens.push(keep(await startGenerator(`gen${i}`)));
    const directGenerators = cfg.directSessionsMax > 0 ? cfg.generators : 0;
    for (let i = 0; i < directGenerators; i++) dgens.push(keep(await startGenerator(`dgen${i}`)));
    const dnames = dgens.map((g) => g.name);
    const last = cfg.sessionSteps[cfg.sessionSteps.length - 1];
    const all = users('s', last);
    const direct = users('sd', last);
    const shares = split(all, gens.length);
    const dshares = split(direct, dgens.length);
    const owner = new Map([...shares.flatMap((list, i) => list.map((u) => [u, i])), ...dshares.flatMap((list, i) => list.map((u) => [u, i]))]);
    const tPrep = now();
    await Promise.all([
      ...gens.map((g, i) => g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: shares[i], concurrency: 20 })),
      ...dgens.map((g, i) => g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: dshares[i], concurrency: 20 })),
    ]);
    const prepareSeconds = (now() - tPrep) / 1000;
    const timeWaitAtStart = await quietSockets(cfg.timeWaitMaxMs);
    await settle([bridge, emu], { maxMs: 10_000 });
    const base = await bridge.memory();
    const dbase = await generatorMemory(dgens);
    const steps = [];
    let have = 0;
    let failedBefore = 0;
    let dheld = 0;
    const probeUser = shares[0][0];
    for (const target of cfg.sessionSteps) {
      const batch = all.slice(have, target);
      // each user logs in from the generator that holds its token (any step size)
      const parts = gens.map((_, i) => batch.filter((u) => owner.get(u) === i));
      const cpu = cpuWindow([bridge, emu, ...gens]);
      const t0 = now();
      const results = await phase(cfg, bridge, `sessions-login-${target}`, () =>
        Promise.all(gens.map((g, i) => g.call('login', { kind: 'jssdk', wsAddr: bridge.wsAddress, apiAddr: emu.apiAddress, userIDs: parts[i], concurrency: cfg.loginConcurrency, timeoutMs: 120_000 }))),
      );
      const loginCpu = cpu.end();
      const loginWindow = (now() - t0) / 1000;
      const ok = results.reduce((s, r) => s + r.ok, 0);
      const failed = results.reduce((s, r) => s + r.failed, 0);
      const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
      // the same number of direct client-SDK logins, right after (same machine, same minute)
      const dbatch = target <= cfg.directSessionsMax ? direct.slice(have, target) : [];
      const dparts = dgens.map((_, i) => dbatch.filter((u) => owner.get(u) === i));
      const dcpu = cpuWindow([emu, ...dgens]);
      const d0 = now();
      const dresults = await Promise.all(dgens.map((g, i) => g.call('login', { kind: 'direct', wsAddr: emu.wsAddress, apiAddr: emu.apiAddress, userIDs: dparts[i], concurrency: cfg.loginConcurrency, timeoutMs: 120_000 })));
      const dloginCpu = dcpu.end();
      const dloginWindow = (now() - d0) / 1000;
      const dok = dresults.reduce((s, r) => s + r.ok, 0);
      const directStep = dparts.some((p) => p.length > 0);
      dheld += dok;
      const dseconds = (Math.max(...dresults.map((r) => r.endedAt)) - Math.min(...dresults.map((r) => r.startedAt))) / 1000;
      have = target;
      await settle([bridge, emu, ...dgens], { pct: 10, maxMs: cfg.settleMaxMs });
      const mem = await bridge.memory();
      if (cfg.heapSnapshotDir) await bridge.heapSnapshot(path.join(cfg.heapSnapshotDir, `sessions-${target}.heapsnapshot`));
      const dmem = await generatorMemory(dgens);
      const idle = cpuWindow([bridge, emu, ...gens, ...dgens]);
      const ti = now();
      await phase(cfg, bridge, `sessions-idle-${target}`, () => sleep(cfg.idleMs));
      const idleCpu = idle.end();
      const idleWindow = (now() - ti) / 1000;
      const probe = await gens[0].call('rtt', { userID: probeUser, method: 'GetSelfUserInfo', n: cfg.probeN, warmup: 10 });
      const held = Number.isFinite(mem.sessions) ? mem.sessions : have - results.reduce((x, r) => x + r.failed, 0) - failedBefore;
      failedBefore += failed;
      steps.push({
        target,
        held,
        connections: mem.connections,
        memorySource: mem.source,
        loggedIn: ok,
        failed,
        errors: results.flatMap((r) => r.errors).slice(0, 3),
        loginsPerSecond: batch.length ? ok / seconds : NaN,
        loginCpu,
        bridgeCpuMsPerLogin: ok ? (cpuSecondsOf(loginCpu, ['bridge'], loginWindow) * 1000) / ok : NaN,
        heapBytes: mem.heapUsed,
        rssBytes: mem.rss,
        heapPerSession: held ? (mem.heapUsed - base.heapUsed) / held : NaN,
        rssPerSession: held ? (mem.rss - base.rss) / held : NaN,
        idleCpu,
        bridgeIdleCpuMsPerSessionSecond: held ? (cpuSecondsOf(idleCpu, ['bridge'], idleWindow) * 1000) / held / idleWindow : NaN,
        probe: summary(probe),
        direct: !directStep ? undefined : {
          held: dheld,
          failed: dresults.reduce((s, r) => s + r.failed, 0),
          errors: dresults.flatMap((r) => r.errors).slice(0, 3),
          loginsPerSecond: dok ? dok / dseconds : NaN,
          loginCpu: dloginCpu,
          cpuMsPerLogin: dok ? (cpuSecondsOf(dloginCpu, dnames, dloginWindow) * 1000) / dok : NaN,
          heapPerSession: dheld ? (dmem.heapUsed - dbase.heapUsed) / dheld : NaN,
          rssPerSession: dheld ? (dmem.rss - dbase.rss) / dheld : NaN,
          idleCpuPct: dnames.reduce((s, n) => s + (idleCpu[n] ?? 0), 0),
          idleCpuMsPerSessionSecond: dheld ? (cpuSecondsOf(idleCpu, dnames, idleWindow) * 1000) / dheld / idleWindow : NaN,
        },
      });
      if (failed > batch.length / 10) break; // past what the machine holds: report, go no further
      // No direct step follows (the next is past --direct-sessions-max): the direct sessions leave
      // now, so the bridged steps after this one share the machine and the emulator with no one
      // else (as the baseline build's, run without direct sessions, do).
      const next = cfg.sessionSteps[cfg.sessionSteps.indexOf(target) + 1];
      if (dheld > 0 && (next === undefined || next > cfg.directSessionsMax)) {
        await Promise.all(dgens.map((g) => g.call('logoutAll', {}).catch(() => undefined)));
        dheld = 0;
      }
    }
    for (const g of [...gens, ...dgens]) await g.call('logoutAll', {}).catch(() => undefined);
    const connectionCapacity = (await bridge.metrics()).openim_bridge_connection_capacity;
    return { base, directBase: dbase, prepareSeconds, timeWaitAtStart, idleMs: cfg.idleMs, bridgeFileLimit: bridge.fileLimit, connectionCapacity, steps };
  });
}

/**
 * 3b. The sessions case against an earlier commit's build (run.mjs --baseline-commit), right
 * after this build's: the same steps, emulator and generators, bridged logins only (the direct
 * client SDK is measured once, beside this build), no heap snapshots; phase profiles (when
 * asked for) go to a `baseline` folder of the profile directory.
 */
export async function sessionsBaseline(cfg, baseline) {
  const profileDir = cfg.profileDir && path.join(cfg.profileDir, 'baseline');
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const result = await sessions({ ...cfg, bridgeRoot: baseline.root, directSessionsMax: 0, heapSnapshotDir: undefined, profileDir, cpuProfDir: undefined });
  return { commit: baseline.commit, ...result };
}

/** 4. One message to a group of N members, all logged in: time until the last member's OnRecvNewMessages. */
export async function fanout(cfg) {
  const run = async (kind) =>
    withProcs(async (keep) => {
      const emu = keep(await startEmulator());
      const bridge = kind === 'jssdk' ? keep(await startBridge(emu, bridgeSetup(cfg))) : undefined;
      const gens = [];
      for (let i = 0; i < cfg.generators; i++) gens.push(keep(await startGenerator(`gen${i}`)));
      const members = users(`f${kind}`, cfg.fanout);
      const shares = split(members, gens.length);
      await Promise.all(gens.map((g, i) => g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: shares[i] })));
      const wsAddr = kind === 'jssdk' ? bridge.wsAddress : emu.wsAddress;
      const logins = await Promise.all(gens.map((g, i) => g.call('login', { kind, wsAddr, apiAddr: emu.apiAddress, userIDs: shares[i], concurrency: cfg.loginConcurrency, timeoutMs: 120_000 })));
      const failed = logins.reduce((s, r) => s + r.failed, 0);
      if (failed) throw new Error(`${kind}: ${failed} logins failed: ${logins.flatMap((r) => r.errors).slice(0, 3).join('; ')}`);
      const admin = await adminToken(emu);
      // imAdmin owns the group: all N members are logged-in sessions
      const group = await post(emu.apiAddress, admin, '/group/create_group', {
        ownerUserID: 'imAdmin',
        memberUserIDs: members,
        adminUserIDs: [],
        groupInfo: { groupName: 'bench fan-out', groupType: 2 },
      });
      const groupID = group.groupInfo?.groupID ?? group.groupID;
      // every process of the case: settled before each round, and the whole machine's work for a round
      const allProcs = [emu, ...(bridge ? [bridge] : []), ...gens];
      await settle(allProcs, { pct: 15, maxMs: cfg.settleMaxMs });
      const rounds = [];
      if (bridge && cfg.profileDir) await bridge.profileStart();
      // CPU of whoever runs the members' SDKs: the bridge (bridged) or the generators (direct), over the counted rounds
      const cpuProcs = bridge ? [bridge] : gens;
      let cpuSeconds = 0;
      let allCpuSeconds = 0;
      let windowSeconds = 0;
      let machineSeconds = 0;
      for (let r = 0; r < cfg.fanoutRounds + 1; r++) {
        const tag = `fan${kind}${r}`;
        const cpu = cpuWindow(allProcs);
        const t0 = now();
        await post(emu.apiAddress, admin, '/msg/send_msg', {
          sendID: 'imAdmin',
          groupID,
          recvID: '',
          senderPlatformID: 5,
          contentType: 101,
          sessionType: 3,
          content: { content: `bench:${tag}:${t0}` },
        });
        const got = (await Promise.all(gens.map((g, i) => g.call('awaitRecv', { tag, count: shares[i].length, timeoutMs: 30_000 })))).flat();
        const times = got.map((x) => x.at - t0);
        const pcts = cpu.end();
        const seconds = (now() - t0) / 1000;
        // round 0 warms up
        if (r > 0) {
          cpuSeconds += cpuSecondsOf(pcts, cpuProcs.map((p) => p.name), seconds);
          allCpuSeconds += cpuSecondsOf(pcts, allProcs.map((p) => p.name), seconds);
          machineSeconds += cpuSecondsOf(pcts, ['machine'], seconds);
          windowSeconds += seconds;
          rounds.push({ received: got.length, last: Math.max(...times), p50: percentile(times, 50) });
        }
        await settle(allProcs, { pct: 15, maxMs: 5_000, windowMs: Math.min(300, settleWindowMs) });
      }
      if (bridge && cfg.profileDir) await bridge.profileStop(path.join(cfg.profileDir, 'fanout.cpuprofile'));
      for (const g of gens) await g.call('logoutAll', {}).catch(() => undefined);
      const delivered = rounds.reduce((n, x) => n + x.received, 0);
      return {
        members: cfg.fanout,
        rounds,
        last: median(rounds.map((x) => x.last)),
        p50: median(rounds.map((x) => x.p50)),
        received: Math.min(...rounds.map((x) => x.received)),
        cpuBy: cpuProcs.map((p) => p.name).join('+'),
        cpuMsPerDelivered: delivered ? (cpuSeconds * 1000) / delivered : NaN,
        allCpuBy: allProcs.map((p) => p.name).join('+'),
        allCpuMsPerDelivered: delivered ? (allCpuSeconds * 1000) / delivered : NaN,
        // % of one core, averaged over the rounds' windows (every job on the machine)
        machineCpu: windowSeconds ? (100 * machineSeconds) / windowSeconds : NaN,
        cores: os.cpus().length,
      };
    });
  return { bridge: await run('jssdk'), direct: await run('direct') };
}

/** 5. Sustained 1:1 messages to N bridged sessions at rising rates until saturation; CPU of every process. */
export async function throughput(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const bridge = keep(await startBridge(emu, bridgeSetup(cfg)));
    const gens = [];
    for (let i = 0; i < cfg.generators; i++) gens.push(keep(await startGenerator(`gen${i}`)));
    const sender = keep(await startGenerator('sender'));
    const receivers = users('t', cfg.tpSessions);
    const [sendID] = users('tsender', 1);
    const shares = split(receivers, gens.length);
    await Promise.all(gens.map((g, i) => g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: shares[i] })));
    await sender.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [sendID] });
    const logins = await Promise.all(gens.map((g, i) => g.call('login', { kind: 'jssdk', wsAddr: bridge.wsAddress, apiAddr: emu.apiAddress, userIDs: shares[i], concurrency: cfg.loginConcurrency, timeoutMs: 120_000 })));
    const failed = logins.reduce((s, r) => s + r.failed, 0);
    if (failed) throw new Error(`${failed} logins failed: ${logins.flatMap((r) => r.errors).slice(0, 3).join('; ')}`);
    await settle([bridge, emu], { maxMs: cfg.settleMaxMs });
    const steps = [];
    for (const rate of cfg.rates) {
      const tag = `tp${rate}`;
      const events0 = eventCounts(await bridge.metrics());
      const cpu = cpuWindow([bridge, emu, sender, ...gens]);
      const load = await phase(cfg, bridge, `throughput-${rate}`, () => sender.call('sendLoad', { apiAddr: emu.apiAddress, secret: emu.secret, sendID, recvIDs: receivers, rate, durationMs: cfg.stepMs, tag, batch: cfg.batch }));
      const sendingCpu = cpu.end(); // while the load is offered: what runs hot
      // let the tail arrive: until the count stops growing (bounded)
      let got = [];
      for (let waited = 0; waited < cfg.drainMaxMs; waited += 250) {
        await sleep(250);
        const more = (await Promise.all(gens.map((g) => g.call('drainRecv', { prefix: tag })))).flat();
        got = got.concat(more);
        if (got.length >= load.sent || (more.length === 0 && waited >= 1000)) break;
      }
      const cpuPct = cpu.end();
      const events1 = eventCounts(await bridge.metrics());
      const eventsPerMessage = {};
      for (const [k, v] of Object.entries(events1)) if (v - (events0[k] ?? 0) > 0) eventsPerMessage[k] = +((v - (events0[k] ?? 0)) / Math.max(1, got.length)).toFixed(2);
      const lat = got.map((r) => r.at - r.sentAt);
      const span = got.length ? (Math.max(...got.map((r) => r.at)) - Math.min(...got.map((r) => r.sentAt))) / 1000 : NaN;
      const step = {
        offered: rate,
        sent: load.sent,
        sendFailed: load.failed,
        senderSkipped: load.skipped,
        delivered: got.length,
        deliveredPerSecond: got.length / Math.max(span, cfg.stepMs / 1000),
        latency: summary(lat),
        cpu: sendingCpu,
        cpuWithTail: cpuPct,
        eventsPerMessage,
      };
      step.saturated = step.delivered < 0.95 * rate * (cfg.stepMs / 1000) || step.latency.p99 > cfg.p99LimitMs;
      step.bottleneck = bottleneck(sendingCpu, gens.length);
      steps.push(step);
      if (step.saturated) break;
      await settle([bridge, emu], { maxMs: 10_000, windowMs: Math.min(500, settleWindowMs) });
    }
    for (const g of gens) await g.call('logoutAll', {}).catch(() => undefined);
    return { sessions: cfg.tpSessions, stepMs: cfg.stepMs, cores: os.cpus().length, steps };
  });
}

/** openim_bridge_events_total by event name. */
function eventCounts(m) {
  const out = {};
  for (const [k, v] of Object.entries(m)) {
    const hit = /^openim_bridge_events_total\{event="([^"]+)"\}$/.exec(k);
    if (hit) out[hit[1]] = v;
  }
  return out;
}

/** The busiest process; each is one event loop, so ~100 % of a core is its ceiling. */
function bottleneck(cpu, generators) {
  const entries = Object.entries(cpu).filter(([k]) => k !== 'machine');
  const gen = entries.filter(([k]) => k.startsWith('gen')).reduce((s, [, v]) => Math.max(s, v), 0);
  const named = entries.filter(([k]) => !k.startsWith('gen'));
  named.push([`generator (busiest of ${generators})`, gen]);
  named.sort((x, y) => y[1] - x[1]);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  return { process: named[0][0], cpu: named[0][1], totalCpu: total, machineCpu: cpu.machine };
}

export function setRunID(id, cfg) {
  runID = id;
  settleWindowMs = cfg?.settleWindowMs ?? settleWindowMs;
}

/** The transport and codec combinations the bridge speaks (docs/PROTOCOL.md). */
const CODEC_COMBOS = [
  { name: 'JSON / WebSocket', codec: 'json', transport: 'ws' },
  { name: 'msgpack / WebSocket', codec: 'msgpack', transport: 'ws' },
  { name: 'msgpack / TCP', codec: 'msgpack', transport: 'tcp' },
];

/**
 * 7. Codecs: the same 1:1 messages relayed to one client over each transport and codec; bytes
 * per message on the wire and bridge CPU per 100,000 relayed messages.
 */
export async function codecs(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const bridge = keep(await startBridge(emu, bridgeSetup(cfg, ['--tcp_port', '0'])));
    const admin = await adminToken(emu);
    const rows = [];
    for (const combo of CODEC_COMBOS) {
      const [sender, receiver] = users(`codec${combo.codec}${combo.transport}`, 2);
      await post(emu.apiAddress, admin, '/user/user_register', { users: [sender, receiver].map((userID) => ({ userID, nickname: userID, faceURL: '' })) });
      const token = (await post(emu.apiAddress, admin, '/auth/get_user_token', { userID: receiver, platformID: 5 })).token;
      const client = keep(await startGenerator(`codec-${combo.codec}-${combo.transport}`, 'codecReceiver.mjs'));
      await client.call('connect', { address: combo.transport === 'tcp' ? bridge.tcpAddress : bridge.wsAddress, codec: combo.codec, userID: receiver, token });
      await settle([bridge, emu], { maxMs: 10_000 });
      await client.call('reset', {});
      const cpu = cpuWindow([bridge, emu]);
      const t0 = now();
      let next = 0;
      await Promise.all(
        Array.from({ length: cfg.codecConcurrency }, async () => {
          while (next < cfg.codecMessages) {
            const i = next++;
            await post(emu.apiAddress, admin, '/msg/send_msg', { sendID: sender, recvID: receiver, senderPlatformID: 5, content: { content: `bench:codec:${i}` }, contentType: 101, sessionType: 1 });
          }
        }),
      );
      const got = await client.call('wait', { n: cfg.codecMessages, timeoutMs: cfg.codecMessages * 20 + 30_000 });
      const seconds = (now() - t0) / 1000;
      const usage = cpu.end();
      const bridgeCpuSeconds = (usage.bridge / 100) * seconds;
      rows.push({
        ...combo,
        messages: got.messages,
        seconds,
        messageFrameBytes: got.messageFrames ? got.messageFrameBytes / got.messageFrames : 0,
        bytesPerMessage: got.messages ? got.bytes / got.messages : 0,
        framesPerMessage: got.messages ? got.frames / got.messages : 0,
        bridgeCpuPct: usage.bridge,
        bridgeCpuSecondsPer100k: got.messages ? (bridgeCpuSeconds / got.messages) * 100_000 : 0,
      });
      await client.stop();
    }
    // the baseline: the same messages received by one @openim/client-sdk instance straight from the emulator
    const [dsender, dreceiver] = users('codecdirect', 2);
    const receiver = keep(await startGenerator('codec-direct'));
    await receiver.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [dsender, dreceiver] });
    const login = await receiver.call('login', { kind: 'direct', wsAddr: emu.wsAddress, apiAddr: emu.apiAddress, userIDs: [dreceiver] });
    if (login.failed) throw new Error(`direct receiver login failed: ${login.errors.join('; ')}`);
    await settle([bridge, emu, receiver], { maxMs: 10_000 });
    const cpu = cpuWindow([receiver, emu]);
    const t0 = now();
    const got = receiver.call('awaitRecv', { tag: 'codecd', count: cfg.codecMessages, timeoutMs: cfg.codecMessages * 20 + 30_000 });
    let next = 0;
    await Promise.all(
      Array.from({ length: cfg.codecConcurrency }, async () => {
        while (next < cfg.codecMessages) {
          const i = next++;
          await post(emu.apiAddress, admin, '/msg/send_msg', { sendID: dsender, recvID: dreceiver, senderPlatformID: 5, content: { content: `bench:codecd:${i}` }, contentType: 101, sessionType: 1 });
        }
      }),
    );
    const received = (await got).length;
    const seconds = (now() - t0) / 1000;
    const usage = cpu.end();
    const direct = {
      name: '`@openim/client-sdk` straight to the emulator (the receiver\'s own process)',
      messages: received,
      seconds,
      cpuPct: usage[receiver.name],
      cpuSecondsPer100k: received ? (((usage[receiver.name] / 100) * seconds) / received) * 100_000 : 0,
    };
    await receiver.call('logoutAll', {}).catch(() => undefined);
    return { messages: cfg.codecMessages, rows, direct };
  });
}

/** 8. The state store: local-only methods and login on LevelDB (the default) and on Redis, side by side. */
export async function stateStore(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const redis = keep(await startRedisServer());
    const stores = {
      leveldb: keep(await startBridge(emu, bridgeSetup(cfg))),
      redis: keep(await startBridge(emu, bridgeSetup(cfg, ['--state_store', redis.url]))),
    };
    const g = keep(await startGenerator('gen'));
    const out = { logins: cfg.stateLogins, methods: {}, login: {} };
    const pairs = {};
    for (const [name, bridge] of Object.entries(stores)) {
      const [a, b] = users(`st${name}`, 2);
      const many = users(`stl${name}`, cfg.stateLogins);
      await g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [a, b, ...many] });
      const r = await g.call('login', { kind: 'jssdk', wsAddr: bridge.wsAddress, apiAddr: emu.apiAddress, userIDs: [a, b] });
      if (r.failed) throw new Error(`${name} login failed: ${r.errors.join('; ')}`);
      await g.call('sendRtt', { from: a, to: b, n: 1, warmup: 0 }); // the conversation the local calls name
      pairs[name] = { b, conversationID: `si_${[a, b].sort().join('_')}`, many };
    }
    await settle([stores.leveldb, stores.redis, emu], { maxMs: 10_000 });
    const per = Math.ceil(cfg.rttN / cfg.rounds);
    for (const method of ['SetConversationDraft', 'DeleteMessageFromLocalStorage', 'GetAllConversationList']) {
      const [l, r] = await interleaved(
        cfg.rounds,
        () => g.call('rtt', { userID: pairs.leveldb.b, method, n: per, conversationID: pairs.leveldb.conversationID }),
        () => g.call('rtt', { userID: pairs.redis.b, method, n: per, conversationID: pairs.redis.conversationID }),
      );
      out.methods[method] = { leveldb: summary(l), redis: summary(r) };
    }
    for (const [name, bridge] of Object.entries(stores)) {
      const r = await g.call('login', { kind: 'jssdk', wsAddr: bridge.wsAddress, apiAddr: emu.apiAddress, userIDs: pairs[name].many, concurrency: cfg.loginConcurrency });
      if (r.failed) throw new Error(`${name} logins failed: ${r.errors.join('; ')}`);
      out.login[name] = { ms: r.endedAt - r.startedAt, perSecond: (pairs[name].many.length * 1000) / (r.endedAt - r.startedAt) };
    }
    return out;
  });
}

/**
 * 9. Mass reconnect after a restart: N jssdk sessions on a bridge that is stopped (SIGTERM);
 * `catchupMessages` messages per user are sent while it is down; the bridge starts again on
 * the same port and data directory, every jssdk reconnects by itself (its 5 s retry) and is
 * caught up from its delivery cursors. Meanwhile a few users logged in afresh on the new
 * bridge get live messages at `catchupLiveRate`/s: their latency is the live p99 under the
 * catch-up. Not in the default run (`--only catchup`).
 */
export async function catchup(cfg) {
  return withProcs(async (keep) => {
    const emu = keep(await startEmulator());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-catchup-db-'));
    const first = await startBridge(emu, bridgeSetup(cfg, ['--openIMDbDir', dataDir]));
    const port = new URL(first.wsAddress).port;
    const gens = [];
    for (let i = 0; i < cfg.generators; i++) gens.push(keep(await startGenerator(`gen${i}`)));
    const live = keep(await startGenerator('live'));
    const sender = keep(await startGenerator('sender'));
    const all = users('c', cfg.catchupSessions);
    const liveUsers = users('clive', cfg.catchupLiveUsers);
    const [sendID] = users('csender', 1);
    const shares = split(all, gens.length);
    await Promise.all(gens.map((g, i) => g.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: shares[i] })));
    await live.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: liveUsers });
    await sender.call('prepare', { apiAddr: emu.apiAddress, secret: emu.secret, userIDs: [sendID] });
    const logins = await Promise.all(gens.map((g, i) => g.call('login', { kind: 'jssdk', wsAddr: first.wsAddress, apiAddr: emu.apiAddress, userIDs: shares[i], concurrency: cfg.loginConcurrency, timeoutMs: 120_000 })));
    const loggedIn = logins.reduce((s, r) => s + r.ok, 0);
    await settle([first, emu], { maxMs: cfg.settleMaxMs });
    // The instances are known: their first sync wrote a baseline (committed within cursor_flush_ms, and on SIGTERM).
    await first.stop();
    const admin = await adminToken(emu);
    const tag = 'catchup';
    const tSend = now();
    for (let k = 0; k < cfg.catchupMessages; k++) {
      for (let i = 0; i < all.length; i += 500) {
        await post(emu.apiAddress, admin, '/msg/batch_send_msg', { sendID, recvIDs: all.slice(i, i + 500), senderPlatformID: 5, contentType: 101, sessionType: 1, content: { content: `bench:${tag}:${now()}` }, isOnlineOnly: false });
      }
    }
    const sendSeconds = (now() - tSend) / 1000;
    const second = keep(await startBridge(emu, bridgeSetup(cfg, ['--openIMDbDir', dataDir, '--sdk_ws_port', port])));
    const tUp = now();
    await live.call('login', { kind: 'jssdk', wsAddr: second.wsAddress, apiAddr: emu.apiAddress, userIDs: liveUsers, concurrency: 10, timeoutMs: 60_000 });
    const cpu = cpuWindow([second, emu, ...gens]);
    const expected = loggedIn * cfg.catchupMessages;
    const liveLoad = sender.call('sendLoad', { apiAddr: emu.apiAddress, secret: emu.secret, sendID, recvIDs: liveUsers, rate: cfg.catchupLiveRate, durationMs: cfg.catchupLiveMs, tag: 'clive', batch: 1 });
    const per = await Promise.all(gens.map((g, i) => g.call('awaitRecv', { tag, count: Math.round((expected * shares[i].length) / all.length), timeoutMs: cfg.catchupMaxMs })));
    const caughtUpAt = now();
    const cpuCatchup = cpu.end();
    await liveLoad;
    await sleep(500);
    const liveGot = await live.call('drainRecv', { prefix: 'clive' });
    const got = per.flat();
    const m = await second.metrics();
    const perUser = new Map();
    for (const r of got) perUser.set(r.userID, (perUser.get(r.userID) ?? 0) + 1);
    for (const g of [...gens, live]) await g.call('logoutAll', {}).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return {
      sessions: cfg.catchupSessions,
      loggedIn,
      messagesPerUser: cfg.catchupMessages,
      sendSeconds,
      expected,
      received: got.length,
      usersComplete: [...perUser.values()].filter((n) => n === cfg.catchupMessages).length,
      duplicates: [...perUser.values()].filter((n) => n > cfg.catchupMessages).length,
      secondsFromRestartToAllCaughtUp: (caughtUpAt - tUp) / 1000,
      catchupMessagesMetric: m.openim_bridge_catchup_messages_total,
      catchupDurationSecondsSum: m.openim_bridge_catchup_duration_seconds_sum,
      catchupCount: m.openim_bridge_catchup_duration_seconds_count,
      catchupMessagesPerSecond: got.length / Math.max(0.001, (caughtUpAt - tUp) / 1000),
      live: { users: liveUsers.length, offeredPerSecond: cfg.catchupLiveRate, delivered: liveGot.length, latency: summary(liveGot.map((r) => r.at - r.sentAt)) },
      cpu: cpuCatchup,
    };
  });
}
