/**
 * Turns one run's results into the tables of docs/PERFORMANCE.md (between the bench markers;
 * everything else in the file, the findings included, is kept) and the cost-growth plot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { fmt, KiB, MiB, ratio } from './lib/stats.mjs';

const markers = (section) => ({ start: `<!-- bench:${section}:start -->`, end: `<!-- bench:${section}:end -->` });
const suffix = (results) => (results.section && results.section !== 'results' ? `-${results.section}` : '');

/** Where a run's raw figures go: quick.json, latest.json, or latest-SECTION.json. */
export function rawFileName(results) {
  return results.mode === 'quick' ? `quick${suffix(results)}.json` : `latest${suffix(results)}.json`;
}

const ms = (x) => `${fmt(x, x < 1 ? 3 : 2)} ms`;
const pct = (x) => `${fmt(x, 1)} %`;
const times = (x) => `${fmt(x, 2)}×`;
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : '**not met**');

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function codecSection(c) {
  const base = c.rows.find((r) => r.codec === 'json' && r.transport === 'ws');
  return [
    `### 7. Codecs and transports: ${fmt(c.messages, 0)} 1:1 messages relayed to one client over each`,
    '',
    table(
      ['codec / transport', 'messages', 'bytes per OnRecvNewMessages frame', 'bytes on the wire per message (all events)', 'event frames per message', 'bridge CPU per 100,000 messages', 'vs JSON / WebSocket'],
      c.rows.map((r) => [
        r.name,
        fmt(r.messages, 0),
        fmt(r.messageFrameBytes, 0),
        fmt(r.bytesPerMessage, 0),
        fmt(r.framesPerMessage, 2),
        `${fmt(r.bridgeCpuSecondsPer100k, 1)} s`,
        base ? `${times(ratio(r.bytesPerMessage, base.bytesPerMessage))} bytes, ${times(ratio(r.bridgeCpuSecondsPer100k, base.bridgeCpuSecondsPer100k))} CPU` : '',
      ]),
    ),
    '',
    ...(c.direct
      ? [
          table(
            ['receiver', 'messages', 'CPU per 100,000 received', 'bridge (JSON / WebSocket) / direct', 'target ≤ 1.5×'],
            [[c.direct.name, fmt(c.direct.messages, 0), `${fmt(c.direct.cpuSecondsPer100k, 1)} s`, times(ratio(base?.bridgeCpuSecondsPer100k, c.direct.cpuSecondsPer100k)), verdict(ratio(base?.bridgeCpuSecondsPer100k, c.direct.cpuSecondsPer100k) <= 1.5)]],
          ),
          '',
        ]
      : []),
    'Bytes are counted at the receiving client (frame payloads; WebSocket and TCP framing headers are a few bytes more). CPU is the bridge process\'s over the whole run, scaled to 100,000 messages; it includes the client SDK\'s own work on each upstream push, which is the same for every row — the difference between rows is the codec and transport.',
  ].join('\n');
}

function localSection(c) {
  const r50 = ratio(c.bridge.p50, c.rawEcho.p50);
  return [
    '### 1. Round trip answered by the bridge itself (`GetLoginStatus`, real jssdk client)',
    '',
    table(
      ['path', 'n', 'p50', 'p99', 'p50 / floor', 'p99 / floor'],
      [
        ['jssdk → bridge (`GetLoginStatus`)', c.bridge.n, ms(c.bridge.p50), ms(c.bridge.p99), times(r50), times(ratio(c.bridge.p99, c.rawEcho.p99))],
        ['jssdk → bare `ws` echo process (same client, same frame)', c.jssdkEcho.n, ms(c.jssdkEcho.p50), ms(c.jssdkEcho.p99), times(ratio(c.jssdkEcho.p50, c.rawEcho.p50)), times(ratio(c.jssdkEcho.p99, c.rawEcho.p99))],
        ['**floor**: bare `ws` client → bare `ws` echo process', c.rawEcho.n, ms(c.rawEcho.p50), ms(c.rawEcho.p99), '1×', '1×'],
      ],
    ),
    '',
    `Target p50 ≤ 1.5× the floor: ${times(r50)} — ${verdict(r50 <= 1.5)} (against the jssdk-to-echo floor, which includes the client's own cost: ${times(ratio(c.bridge.p50, c.jssdkEcho.p50))}).`,
  ].join('\n');
}

function upstreamSection(c) {
  const row = (name, x) => {
    const r50 = ratio(x.bridge.p50, x.direct.p50);
    const r99 = ratio(x.bridge.p99, x.direct.p99);
    return [name, x.bridge.n, ms(x.bridge.p50), ms(x.direct.p50), times(r50), ms(x.bridge.p99), ms(x.direct.p99), times(r99), `${verdict(r50 <= 1.2)} / ${verdict(r99 <= 1.5)}`];
  };
  return [
    '### 2. Upstream calls: jssdk through the bridge vs `@openim/client-sdk` straight to the emulator',
    '',
    table(
      ['call', 'n', 'p50 bridge', 'p50 direct', 'ratio', 'p99 bridge', 'p99 direct', 'ratio', 'target p50 ≤ 1.2× / p99 ≤ 1.5×'],
      [row('`GetSelfUserInfo`', c.getSelfUserInfo), row('`SendMessage` A→B until B\'s `OnRecvNewMessages`', c.sendMessage)],
    ),
    '',
    '`@openim/client-sdk` 0.0.14 answers `getSelfUserInfo` from the profile it cached at login (no network), so "direct" is an in-process call and the bridge figure is one jssdk↔bridge WebSocket round trip on top of the same call; compare it with the floor of case 1.',
  ].join('\n');
}

function sessionsSection(c) {
  const rows = c.steps.map((s) => [
    fmt(s.target, 0),
    `${fmt(s.held, 0)}${s.memorySource && s.memorySource !== 'ipc' ? ' †' : ''}`,
    s.failed ? `${s.failed} (${s.errors.join('; ').slice(0, 80)})` : '0',
    fmt(s.loginsPerSecond, 0),
    pct(s.loginCpu.bridge),
    `${fmt(MiB(s.heapBytes), 1)} MiB`,
    `${fmt(KiB(s.heapPerSession), 1)} KiB`,
    `${fmt(MiB(s.rssBytes), 0)} MiB`,
    `${fmt(KiB(s.rssPerSession), 1)} KiB`,
    pct(s.idleCpu.bridge),
    pct(s.idleCpu.emulator),
    pct(s.idleCpu.machine),
    `${ms(s.probe.p50)} / ${ms(s.probe.p99)}`,
  ]);
  const last = c.steps[c.steps.length - 1];
  const top = Math.max(...c.steps.map((s) => s.held));
  const minRate = Math.min(...c.steps.map((s) => s.loginsPerSecond));
  return [
    '### 3. Sessions: jssdk clients logged in and left idle (heartbeats only)',
    '',
    `Baseline (bridge started, no session, after a full GC): heap ${fmt(MiB(c.base.heapUsed), 1)} MiB, RSS ${fmt(MiB(c.base.rss), 0)} MiB. Per-session figures are (reading − baseline) / sessions held, read inside the bridge (\`process.memoryUsage()\`, over IPC) right after a forced full GC; sessions held are the bridge's own count from \`/metrics\`. Idle CPU is measured over ${fmt(c.idleMs / 1000, 0)} s with every session logged in and nothing sent. Latency is \`GetSelfUserInfo\` by one of the sessions at that load.`,
    '',
    table(['sessions asked', 'held by the bridge', 'failed logins', 'logins/s', 'bridge CPU while logging in', 'bridge heap', 'heap / session', 'bridge RSS', 'RSS / session', 'bridge CPU idle', 'emulator CPU idle', 'whole machine CPU meanwhile (all jobs)', 'p50 / p99 latency'], rows),
    '',
    ...c.steps.filter((s) => s.memorySource && s.memorySource !== 'ipc').map((s) => `† at ${fmt(s.target, 0)}: sessions counted from the logins, not by the bridge: ${s.memorySource}.\n`),
    `CPU figures are % of one core. The bridge process ran with an open-file limit of ${fmt(c.bridgeFileLimit, 0)}; a session needs two descriptors (the jssdk socket and the upstream socket) and the bridge keeps 1,024 for everything else (listeners, its keep-alive connections to the API), so it admits ${fmt(c.connectionCapacity, 0)} connections (its \`openim_bridge_connection_capacity\`)${c.steps.some((s) => s.failed) ? ' and refuses the next with HTTP 503 "out of file descriptors" (the failed logins above)' : ''}.`,
    '',
    ...directSessionsTable(c),
    table(
      ['target', 'measured', 'verdict'],
      [
        ...directTargets(c),
        ['10,000 sessions held', fmt(top, 0), verdict(top >= 10_000)],
        ['≤ 100 KiB heap per idle session', `${fmt(KiB(last.heapPerSession), 1)} KiB at ${fmt(last.held, 0)}`, verdict(KiB(last.heapPerSession) <= 100)],
        ['≥ 300 logins/s per process (issue 23; 500 was the first round\'s)', `${fmt(minRate, 0)} (slowest step)`, verdict(minRate >= 300)],
        ['idle CPU < 5 % of one core', `${pct(last.idleCpu.bridge)} at ${fmt(last.held, 0)}`, verdict(last.idleCpu.bridge < 5)],
      ],
    ),
  ].join('\n');
}

const perK = (x) => `${fmt(x * 1000, 2)} ms`;

/** This build next to an earlier commit's (--baseline-commit), step by step: logins and memory. */
function baselineSection(cur, base, commit) {
  const rows = base.steps.map((b) => {
    const s = cur.steps.find((x) => x.target === b.target);
    const pair = (f, unit, digits) => (s ? `${fmt(f(s), digits)} / ${fmt(f(b), digits)}${unit} = ${times(ratio(f(s), f(b)))}` : `— / ${fmt(f(b), digits)}${unit}`);
    return [
      fmt(b.target, 0),
      `${s ? fmt(s.held, 0) : '—'} / ${fmt(b.held, 0)}`,
      pair((x) => x.loginsPerSecond, '', 0),
      pair((x) => x.bridgeCpuMsPerLogin, ' ms', 2),
      `${s ? pct(s.loginCpu.bridge) : '—'} / ${pct(b.loginCpu.bridge)}`,
      pair((x) => KiB(x.heapPerSession), ' KiB', 1),
      pair((x) => KiB(x.rssPerSession), ' KiB', 1),
      pair((x) => x.bridgeIdleCpuMsPerSessionSecond * 1000, ' ms', 2),
    ];
  });
  return [
    `This build / commit \`${commit}\`'s build, the same steps in the same run (its sessions case right after this build's, same emulator and load generators; only the bridge differs). Idle CPU is per 1,000 sessions, ms per s.`,
    '',
    table(['sessions', 'held', 'logins/s', 'bridge CPU per login', 'bridge CPU while logging in', 'heap per idle session', 'RSS per idle session', 'idle CPU per 1,000 sessions'], rows),
    '',
  ];
}

/** Bridged next to direct per step: CPU per login, memory per idle session, idle CPU; ratios bridged / direct. */
function directSessionsTable(c) {
  const steps = c.steps.filter((s) => s.direct);
  if (!steps.length) return [];
  const rows = steps.map((s) => [
    fmt(s.target, 0),
    `${fmt(s.bridgeCpuMsPerLogin, 2)} ms / ${fmt(s.direct.cpuMsPerLogin, 2)} ms = ${times(ratio(s.bridgeCpuMsPerLogin, s.direct.cpuMsPerLogin))}`,
    `${fmt(s.loginsPerSecond, 0)} / ${fmt(s.direct.loginsPerSecond, 0)}`,
    `${fmt(KiB(s.heapPerSession), 1)} / ${fmt(KiB(s.direct.heapPerSession), 1)} KiB = ${times(ratio(s.heapPerSession, s.direct.heapPerSession))}`,
    `${fmt(KiB(s.rssPerSession), 1)} / ${fmt(KiB(s.direct.rssPerSession), 1)} KiB = ${times(ratio(s.rssPerSession, s.direct.rssPerSession))}`,
    `${perK(s.bridgeIdleCpuMsPerSessionSecond)} / ${perK(s.direct.idleCpuMsPerSessionSecond)} = ${times(ratio(s.bridgeIdleCpuMsPerSessionSecond, s.direct.idleCpuMsPerSessionSecond))}`,
  ]);
  return [
    'Bridged / direct, the same step: the bridge process against `@openim/client-sdk` instances logged in straight to the emulator from load-generator processes of their own (as many, right after the bridged logins; their CPU and their memory after a full GC, less their baseline). The direct figures are the client SDK\'s own cost, which the bridge pays too (it runs one instance per session): the ratio is the bridge\'s whole cost over that.',
    '',
    table(['sessions', 'CPU per login, bridge / direct', 'logins/s, bridged / direct', 'heap per idle session', 'RSS per idle session', 'idle CPU per 1,000 sessions, ms per s'], rows),
    '',
  ];
}

function directTargets(c) {
  const steps = c.steps.filter((s) => s.direct);
  if (!steps.length) return [];
  const worst = steps.reduce((a, s) => (ratio(s.bridgeCpuMsPerLogin, s.direct.cpuMsPerLogin) > ratio(a.bridgeCpuMsPerLogin, a.direct.cpuMsPerLogin) ? s : a));
  const r = ratio(worst.bridgeCpuMsPerLogin, worst.direct.cpuMsPerLogin);
  const at5k = c.steps.find((s) => s.target === 5_000) ?? c.steps[c.steps.length - 1];
  return [
    ['bridge CPU per login ≤ 1.3× the direct client SDK\'s', `${times(r)} (highest step, ${fmt(worst.bridgeCpuMsPerLogin, 2)} vs ${fmt(worst.direct.cpuMsPerLogin, 2)} ms)`, verdict(r <= 1.3)],
    ['RSS per idle session ≤ 70 KiB at 5,000', `${fmt(KiB(at5k.rssPerSession), 1)} KiB at ${fmt(at5k.held, 0)}`, verdict(KiB(at5k.rssPerSession) <= 70)],
  ];
}

function fanoutSection(c) {
  const r = ratio(c.bridge.last, c.direct.last);
  return [
    `### 4. Fan-out: one message to a group of ${fmt(c.bridge.members, 0)} logged-in members`,
    '',
    'Sent with the admin API (`/msg/send_msg`, `imAdmin` owns the group); time from just before the request until the last member\'s `OnRecvNewMessages`, median of the rounds (one warm-up round not counted).',
    '',
    table(
      ['members are', 'rounds', 'received (min of rounds)', 'median member', 'last member', 'last / direct', 'CPU per delivered message (of)', 'CPU / direct'],
      [
        ['jssdk sessions through the bridge', c.bridge.rounds.length, fmt(c.bridge.received, 0), ms(c.bridge.p50), ms(c.bridge.last), times(r), `${fmt((c.bridge.cpuMsPerDelivered ?? NaN) * 1000, 0)} µs (${c.bridge.cpuBy ?? 'bridge'})`, times(ratio(c.bridge.cpuMsPerDelivered, c.direct.cpuMsPerDelivered))],
        ['`@openim/client-sdk` instances straight to the emulator', c.direct.rounds.length, fmt(c.direct.received, 0), ms(c.direct.p50), ms(c.direct.last), '1×', `${fmt((c.direct.cpuMsPerDelivered ?? NaN) * 1000, 0)} µs (the generators)`, '1×'],
      ],
    ),
    '',
    `Target ≤ 1.5× direct (issue 23; 1.2× before): ${verdict(r <= 1.5)}. CPU per delivered message is the CPU of the process(es) running the members' SDKs over the counted rounds (the bridge; the direct members' generator processes), divided by the messages delivered.`,
    ...fanoutMachineLines(c),
  ].join('\n');
}

/** The whole machine's share of a round: what every process of the case spent per delivered message, and how busy the cores were. */
function fanoutMachineLines(c) {
  if (!(c.bridge.allCpuMsPerDelivered > 0) || !(c.direct.allCpuMsPerDelivered > 0)) return [];
  const row = (label, k) => [label, `${fmt(k.allCpuMsPerDelivered * 1000, 0)} µs`, k.allCpuBy, pct(k.machineCpu)];
  return [
    '',
    table(
      ['members are', 'CPU per delivered message, every process of the case', 'processes', 'whole machine busy during the rounds (% of one core)'],
      [row('jssdk sessions through the bridge', c.bridge), row('`@openim/client-sdk` instances straight to the emulator', c.direct)],
    ),
    '',
    `Every process together: bridged / direct ${times(ratio(c.bridge.allCpuMsPerDelivered, c.direct.allCpuMsPerDelivered))}. Through the bridge a round also pays the jssdk clients' own work (in the generators), on the same ${c.bridge.cores ?? 'few'} cores as the members' SDKs: with every core busy, the last member comes no sooner than this ratio allows; with cores to spare, one process's event loop sets the pace.`,
  ];
}

function throughputSection(c) {
  const procs = Object.keys(c.steps[0]?.cpu ?? {});
  const rows = c.steps.map((s) => [
    fmt(s.offered, 0),
    fmt(s.sent, 0),
    fmt(s.senderSkipped, 0),
    fmt(s.delivered, 0),
    fmt(s.deliveredPerSecond, 0),
    ms(s.latency.p50),
    ms(s.latency.p99),
    ...procs.map((p) => pct(s.cpu[p])),
    s.saturated ? '**yes**' : 'no',
  ]);
  const sat = c.steps.find((s) => s.saturated);
  const best = c.steps.filter((s) => !s.saturated).pop();
  const cores = c.cores ?? 2;
  const limits = (s) => {
    const out = [];
    if (s.senderSkipped > 0.05 * s.offered * (c.stepMs / 1000)) out.push('the admin send path (sender process + emulator REST) could not take the offered rate');
    if (s.bottleneck.cpu >= 90) out.push(`${s.bottleneck.process} is CPU-bound (one event loop)`);
    if (s.cpu.machine >= 90 * cores) out.push(`the machine is out of CPU (${pct(s.cpu.machine)} of ${cores * 100} %, other jobs included)`);
    return out.length ? out.join('; ') : 'no process at its limit by CPU: queueing between processes';
  };
  const what = sat
    ? `Saturates at an offered ${fmt(sat.offered, 0)} msg/s (delivered ${fmt(sat.deliveredPerSecond, 0)} msg/s, p99 ${ms(sat.latency.p99)}). Busiest process then: **${sat.bottleneck.process}** at ${pct(sat.bottleneck.cpu)} of a core; our processes together ${pct(sat.bottleneck.totalCpu)}, the whole machine ${pct(sat.cpu.machine)} of ${cores * 100} %. What limits it: ${limits(sat)}.`
    : `Not saturated up to the highest offered rate (${fmt(c.steps[c.steps.length - 1]?.offered, 0)} msg/s).`;
  return [
    `### 5. Throughput: 1:1 messages to ${fmt(c.sessions, 0)} bridged sessions, rising rate`,
    '',
    `Each step offers a rate for ${fmt(c.stepMs / 1000, 0)} s: admin batch sends (\`/msg/batch_send_msg\`) from a sender process, one text per receiver, round robin over the sessions; latency is from just before the send request to the receiver's \`OnRecvNewMessages\`. A step counts as saturated when less than 95 % of the offered messages arrive or p99 exceeds 1 s. CPU is % of one core per process while the load is offered (from /proc; a process's GC threads can take it past 100 %).`,
    '',
    table(['offered msg/s', 'sent', 'not sent (sender at its 64 in-flight requests)', 'delivered', 'delivered msg/s', 'p50', 'p99', ...procs.map((p) => `CPU ${p}`), 'saturated'], rows),
    '',
    `Event frames the bridge sent per delivered message (first step): ${Object.entries(c.steps[0]?.eventsPerMessage ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'n/a'}.`,
    '',
    `${best ? `Highest rate sustained: ${fmt(best.deliveredPerSecond, 0)} msg/s with p99 ${ms(best.latency.p99)}. ` : ''}${what}`,
  ].join('\n');
}

/** Two panels: heap (and RSS) per session, and p99 latency, against sessions held. */
export function growthSvg(steps) {
  const W = 900;
  const H = 380;
  const panel = (x0, title, yLabel, series) => {
    const pw = 360;
    const ph = 250;
    const left = x0 + 60;
    const top = 60;
    const xs = steps.map((s) => s.held);
    const xMax = Math.max(...xs, 1);
    const yMax = Math.max(...series.flatMap((s) => s.values).filter(Number.isFinite), 1) * 1.15;
    const X = (v) => left + (v / xMax) * pw;
    const Y = (v) => top + ph - (v / yMax) * ph;
    let g = `<text x="${left + pw / 2}" y="30" font-size="16" text-anchor="middle" font-weight="bold">${title}</text>`;
    g += `<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#333"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`;
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      g += `<line x1="${left}" y1="${Y(v)}" x2="${left + pw}" y2="${Y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${Y(v) + 4}" font-size="11" text-anchor="end">${fmt(v, v < 10 ? 1 : 0)}</text>`;
    }
    for (const x of xs) g += `<text x="${X(x)}" y="${top + ph + 16}" font-size="11" text-anchor="middle">${fmt(x, 0)}</text>`;
    g += `<text x="${left + pw / 2}" y="${top + ph + 36}" font-size="12" text-anchor="middle">sessions held</text>`;
    g += `<text x="${x0 + 14}" y="${top + ph / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${x0 + 14} ${top + ph / 2})">${yLabel}</text>`;
    series.forEach((s, k) => {
      const pts = s.values.map((v, i) => [X(xs[i]), Y(v)]).filter(([, y]) => Number.isFinite(y));
      g += `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${pts.map((p) => p.join(',')).join(' ')}"/>`;
      for (const [x, y] of pts) g += `<circle cx="${x}" cy="${y}" r="4" fill="${s.color}"/>`;
      g += `<rect x="${left + k * 140}" y="${top - 20}" width="12" height="12" fill="${s.color}"/><text x="${left + 18 + k * 140}" y="${top - 10}" font-size="12">${s.name}</text>`;
    });
    return g;
  };
  const body =
    panel(0, 'Memory per idle session', 'KiB per session', [
      { name: 'heap / session', color: '#1f77b4', values: steps.map((s) => KiB(s.heapPerSession)) },
      { name: 'RSS / session', color: '#ff7f0e', values: steps.map((s) => KiB(s.rssPerSession)) },
    ]) +
    panel(450, 'GetSelfUserInfo latency under load', 'ms', [
      { name: 'p99', color: '#d62728', values: steps.map((s) => s.probe.p99) },
      { name: 'p50', color: '#2ca02c', values: steps.map((s) => s.probe.p50) },
    ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
}

function renderPng(svg, file) {
  const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'original' } }).render().asPng();
  fs.writeFileSync(file, png);
}

function stateStoreSection(c) {
  const rows = Object.entries(c.methods).map(([m, v]) => [`\`${m}\``, v.leveldb.n, ms(v.leveldb.p50), ms(v.leveldb.p99), ms(v.redis.p50), ms(v.redis.p99), times(ratio(v.redis.p50, v.leveldb.p50))]);
  return [
    '### 8. State store: LevelDB (embedded) vs Redis (shared), real jssdk client, one call at a time',
    '',
    table(['method', 'n', 'LevelDB p50', 'LevelDB p99', 'Redis p50', 'Redis p99', 'Redis / LevelDB p50'], rows),
    '',
    table(
      ['login', 'LevelDB', 'Redis'],
      [[`${fmt(c.logins, 0)} jssdk logins, ${'concurrency as case 3'}`, `${fmt(c.login.leveldb.ms, 0)} ms (${fmt(c.login.leveldb.perSecond, 0)}/s)`, `${fmt(c.login.redis.ms, 0)} ms (${fmt(c.login.redis.perSecond, 0)}/s)`]],
    ),
  ].join('\n');
}

export async function writeReport(results, { docFile, outDir }) {
  const { cases, machine } = results;
  const parts = [
    `${results.bridgeFlags ? `**The bridge ran with \`${results.bridgeFlags}\`: not its defaults.** ` : ''}Run of ${results.startedAt} (${results.mode} mode, ${fmt(results.seconds, 0)} s): commit \`${results.commit}\`${results.dirty ? ' with uncommitted changes' : ''}; ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; load average at start ${machine.loadAverageAtStart.join(' / ')}; ${results.fileLimit?.notes?.length ? 'the open-file limit of bridge and emulator could not be raised (prlimit not permitted), see case 3' : `bridge and emulator run with an open-file limit of ${fmt(results.fileLimit?.wanted ?? NaN, 0)}`}. Raw figures: \`${path.relative(path.dirname(docFile), path.join(outDir, rawFileName(results)))}\`.`,
  ];
  if (cases.local) parts.push(localSection(cases.local));
  if (cases.upstream) parts.push(upstreamSection(cases.upstream));
  if (cases.sessions?.steps?.length) parts.push(sessionsSection(cases.sessions));
  if (cases.sessions?.steps?.length && cases.baseline?.steps?.length) parts.push(['#### 3b. Against an earlier build', '', ...baselineSection(cases.sessions, cases.baseline, cases.baseline.commit)].join('\n'));
  if (cases.fanout) parts.push(fanoutSection(cases.fanout));
  if (cases.throughput?.steps?.length) parts.push(throughputSection(cases.throughput));
  if (cases.codecs?.rows?.length) parts.push(codecSection(cases.codecs));
  if (cases.statestore) parts.push(stateStoreSection(cases.statestore));
  if (cases.sessions?.steps?.length) {
    const png = path.join(outDir, `cost-growth${suffix(results)}.png`);
    const caption = 'Heap and RSS per idle session, and `GetSelfUserInfo` p50/p99 latency, against the sessions the bridge holds (case 3).';
    try {
      renderPng(growthSvg(cases.sessions.steps), png);
      parts.push(`### 6. Cost growth\n\n${caption}\n\n![heap per session and latency against sessions held](${path.relative(path.dirname(docFile), png)})`);
    } catch (err) {
      parts.push(`### 6. Cost growth\n\nPlot not drawn: ${String(err?.message ?? err)}`);
    }
  }
  for (const [name, err] of Object.entries(results.errors)) parts.push(`### ${name}: failed\n\n\`\`\`\n${err.split('\n').slice(0, 6).join('\n')}\n\`\`\``);
  const generated = parts.join('\n\n');

  const { start: START, end: END } = markers(results.section ?? 'results');
  let existing = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : '';
  if (!existing) existing = `${TEMPLATE_HEAD}\n${TEMPLATE_TAIL}`;
  if (!existing.includes(START) || !existing.includes(END)) {
    // A section not in the document yet goes before the hand-written findings.
    const at = existing.includes(FINDINGS) ? existing.indexOf(FINDINGS) : existing.length;
    const heading = results.section && results.section !== 'results' ? `## Results: ${results.section}\n\n` : '';
    existing = `${existing.slice(0, at)}${heading}${START}\n${END}\n\n${existing.slice(at)}`;
  }
  const doc = `${existing.slice(0, existing.indexOf(START) + START.length)}\n${generated}\n${existing.slice(existing.indexOf(END))}`;
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  fs.writeFileSync(docFile, doc);
  return generated;
}

const TEMPLATE_HEAD = `# Performance

Measured by \`npm run bench\` (or \`make bench\`); see [bench/README.md](../bench/README.md). Everything
between the markers below is rewritten by each full run; the findings after them are written by hand.

## Results
`;
const FINDINGS = '## Findings';
const TEMPLATE_TAIL = `
${FINDINGS}

(Written by hand from profiles; see bench/README.md for how to profile.)
`;
