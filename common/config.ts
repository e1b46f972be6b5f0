/**
 * Every option the bridge takes, declared once: flag, environment variable, default,
 * parser and a line of documentation. `--help` and the README table come from this list.
 * Precedence: flags > environment > defaults.
 */
import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel } from './logger';
import { redactText } from './redact';

type Parser<T> = (raw: string) => T;

interface OptionSpec<T> {
  readonly flag: string;
  readonly env: string;
  readonly default: T;
  readonly doc: string;
  readonly parse: Parser<T>;
}

function int(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}, got ${n}`);
    return n;
  };
}
const str: Parser<string> = (raw) => raw;
const url =
  (schemes: string[]): Parser<string> =>
  (raw) => {
    if (raw === '') return raw;
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new Error(`expected a URL, got "${raw}"`);
    }
    if (!schemes.includes(u.protocol)) throw new Error(`expected a ${schemes.join(' or ')} URL, got "${raw}"`);
    return raw.replace(/\/+$/, '');
  };
/** '' or a redis:// / rediss:// URL; a bad value is named without its password. */
const stateStoreUrl: Parser<string> = (raw) => {
  if (raw === '') return raw;
  const shown = redactText(raw);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`expected empty (LevelDB) or a redis:// or rediss:// URL, got "${shown}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`expected empty (LevelDB) or a redis:// or rediss:// URL, got "${shown}"`);
  if (!/^\/?\d*$/.test(u.pathname)) throw new Error(`expected a database number as the path (redis://host:port/0), got "${shown}"`);
  return raw;
};
const logLevel: Parser<LogLevel> = (raw) => {
  const l = raw.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(l)) return l as LogLevel;
  // oimws took numeric levels (0 silent … 6 trace); keep accepting them.
  const byNumber: Record<string, LogLevel> = { '0': 'silent', '1': 'fatal', '2': 'error', '3': 'warn', '4': 'info', '5': 'debug', '6': 'trace' };
  if (l in byNumber) return byNumber[l]!;
  throw new Error(`expected one of ${LOG_LEVELS.join(', ')} (or 0-6), got "${raw}"`);
};

const autoOnOff: Parser<'auto' | 'on' | 'off'> = (raw) => {
  const l = raw.toLowerCase();
  if (l === 'auto') return 'auto';
  if (/^(on|true|1|yes)$/.test(l)) return 'on';
  if (/^(off|false|0|no)$/.test(l)) return 'off';
  throw new Error(`expected auto, on or off, got "${raw}"`);
};

const MiB = 1024 * 1024;

function opt<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** The option table. Names are the config keys; flags keep oimws's spelling where oimws had one. */
export const OPTIONS = {
  port: opt({ flag: 'sdk_ws_port', env: 'SDK_WS_PORT', default: 10003, parse: int(0, 65535), doc: 'Port for jssdk WebSocket connections and the HTTP endpoints (0 picks a free port).' }),
  tcpPort: opt({ flag: 'tcp_port', env: 'TCP_PORT', default: -1, parse: int(-1, 65535), doc: 'Port of the TCP transport (length-prefixed frames, JSON or msgpack; see docs/PROTOCOL.md); -1: off, 0: any free port.' }),
  workers: opt({ flag: 'workers', env: 'BRIDGE_WORKERS', default: 1, parse: int(1, 64), doc: 'Bridge processes behind the port: above 1, a primary hands each connection to the worker that owns its sendID (same user, same worker), so sessions use more cores and more file descriptors. Plain ws/tcp only.' }),
  host: opt({ flag: 'host', env: 'BRIDGE_HOST', default: '0.0.0.0', parse: str, doc: 'Address to listen on.' }),
  apiAddress: opt({ flag: 'openIM_api_address', env: 'OPENIM_API_ADDRESS', default: '', parse: url(['http:', 'https:']), doc: 'OpenIM REST API address, e.g. http://127.0.0.1:10002. Empty: start the embedded emulator.' }),
  wsAddress: opt({ flag: 'openIM_ws_address', env: 'OPENIM_WS_ADDRESS', default: '', parse: url(['ws:', 'wss:']), doc: 'OpenIM msg_gateway address, e.g. ws://127.0.0.1:10001. Empty: start the embedded emulator.' }),
  logLevel: opt({ flag: 'openIM_log_level', env: 'LOG_LEVEL', default: 'info' as LogLevel, parse: logLevel, doc: 'Log level: fatal, error, warn, info, debug, trace, silent (or oimws numbers 0-6).' }),
  emulatorApiPort: opt({ flag: 'emulator_api_port', env: 'EMULATOR_API_PORT', default: 10002, parse: int(0, 65535), doc: 'REST port of the embedded emulator (only when no OpenIM address is given).' }),
  emulatorWsPort: opt({ flag: 'emulator_ws_port', env: 'EMULATOR_WS_PORT', default: 10001, parse: int(0, 65535), doc: 'Gateway port of the embedded emulator (only when no OpenIM address is given).' }),
  emulatorSecret: opt({ flag: 'emulator_secret', env: 'EMULATOR_SECRET', default: 'openIM123', parse: str, doc: 'Token secret of the embedded emulator.' }),
  maxFrameBytes: opt({ flag: 'max_frame_bytes', env: 'MAX_FRAME_BYTES', default: 10 * MiB, parse: int(1024), doc: 'Largest frame a client may send; larger frames are answered with an error and the socket is closed (1009).' }),
  maxConnections: opt({ flag: 'max_connections', env: 'MAX_CONNECTIONS', default: 100_000, parse: int(1), doc: 'Most client connections at once; upgrades past it are refused with HTTP 503. The open-file limit may admit fewer: two descriptors per connection, 1,024 kept in reserve (gauge openim_bridge_connection_capacity).' }),
  maxOutboundBytes: opt({ flag: 'max_outbound_bytes', env: 'MAX_OUTBOUND_BYTES', default: 16 * MiB, parse: int(1024), doc: 'Bytes queued towards one client before it is considered too slow and its socket is closed (1008).' }),
  pingIntervalMs: opt({ flag: 'ping_interval_ms', env: 'PING_INTERVAL_MS', default: 28_000, parse: int(10), doc: 'Interval of server WebSocket pings.' }),
  fanoutCacheEntries: opt({ flag: 'fanout_cache_entries', env: 'FANOUT_CACHE_ENTRIES', default: 512, parse: int(0), doc: "Group messages remembered at once so that the members' copies are converted and JSON-encoded once, not once per member (a copy that differs in any field, e.g. its read state, gets a frame of its own); 0: off." }),
  writeCoalescing: opt({ flag: 'write_coalescing', env: 'WRITE_COALESCING', default: 'auto' as 'auto' | 'on' | 'off', parse: autoOnOff, doc: 'Write the frames a connection gets during one event-loop turn with one syscall: on, off, or auto (only while the event loop is more than 75 % busy, or for the rest of a turn that has already written to 16 connections, as a fan-out does); see docs/PERFORMANCE.md F1.' }),
  pongTimeoutMs: opt({ flag: 'pong_timeout_ms', env: 'PONG_TIMEOUT_MS', default: 60_000, parse: int(10), doc: 'A connection that has not answered a ping for this long is closed.' }),
  maxInflightRequests: opt({ flag: 'max_inflight_requests', env: 'MAX_INFLIGHT_REQUESTS', default: 64, parse: int(1), doc: 'Requests one session may have in flight; more are answered with errCode 10007 (the socket stays open).' }),
  loginTimeoutMs: opt({ flag: 'login_timeout_ms', env: 'LOGIN_TIMEOUT_MS', default: 30_000, parse: int(100), doc: 'How long an upstream login may take before Login is answered with an error.' }),
  upstreamHeartbeatMs: opt({ flag: 'upstream_heartbeat_ms', env: 'UPSTREAM_HEARTBEAT_MS', default: 20_000, parse: int(1000, 25_000), doc: 'Interval of each upstream session\'s heartbeat to msg_gateway (the client SDK\'s own is 10 s); at most 25 s, under the gateway\'s 30 s read deadline.' }),
  requestTimeoutMs: opt({ flag: 'request_timeout_ms', env: 'REQUEST_TIMEOUT_MS', default: 30_000, parse: int(100), doc: 'How long an upstream call may take before the request is answered with an error.' }),
  loginDeadlineMs: opt({ flag: 'login_deadline_ms', env: 'LOGIN_DEADLINE_MS', default: 30_000, parse: int(100), doc: 'A connection not logged in this long after the upgrade is closed (1008).' }),
  idleTimeoutMs: opt({ flag: 'idle_timeout_ms', env: 'IDLE_TIMEOUT_MS', default: 10_000, parse: int(100), doc: 'A connection that sends no frame at all this long after the upgrade is closed (1008).' }),
  allowedOrigins: opt({ flag: 'allowed_origins', env: 'ALLOWED_ORIGINS', default: '*', parse: str, doc: 'Comma-separated browser origins allowed to connect (scheme://host[:port]); * allows any (logged as a warning). Clients that send no Origin are not affected.' }),
  connectRatePerIp: opt({ flag: 'connect_rate_per_ip', env: 'CONNECT_RATE_PER_IP', default: 50, parse: int(0), doc: 'New connections per second per client IP (same burst); more are refused in-band: their Login is answered with errCode 10000, then the frame that lets the jssdk log in again, then closed. 0: no limit.' }),
  tokenSecret: opt({ flag: 'token_secret', env: 'OPENIM_SECRET', default: '', parse: str, doc: 'OpenIM token secret; when set, forged, expired or borrowed tokens are refused in-band before any upstream connection: their Login is answered with the gateway\'s token code (1501–1507), then OnUserTokenExpired, then closed.' }),
  trustedProxies: opt({ flag: 'trusted_proxies', env: 'TRUSTED_PROXIES', default: '', parse: str, doc: 'Comma-separated proxy addresses (e.g. 127.0.0.1 for a local nginx) whose X-Forwarded-For names the client for per-IP limits.' }),
  adminToken: opt({ flag: 'admin_token', env: 'ADMIN_TOKEN', default: '', parse: str, doc: 'Bearer token of the admin API (/admin/sessions, /admin/kick, /admin/drain) and /status for non-loopback callers; loopback callers need none, a wrong token is refused (401) from anywhere. Never logged.' }),
  drainMs: opt({ flag: 'drain_ms', env: 'DRAIN_MS', default: 10_000, parse: int(0, 600_000), doc: 'On SIGTERM or /admin/drain: /readyz turns 503 and new connections are refused at once, then the sessions are closed (1001) spread evenly over this window, so their clients reconnect to the other instances gradually; then the process exits. 0: all at once.' }),
  loginsPerSecond: opt({ flag: 'logins_per_second', env: 'LOGINS_PER_SECOND', default: 200, parse: int(0, 100_000), doc: 'Upstream logins started per second across the process (each is a gateway connection and about ten OpenIM REST calls); a burst of reconnects waits its turn (resumes are not paced). A Login waits at most half of login_timeout_ms for its turn (the upstream login keeps the rest); one whose turn would come later is answered at once with errCode 10002, and the same SDK instance may log in again. 0: no pacing.' }),
  uploadMaxBytes: opt({ flag: 'upload_max_bytes', env: 'UPLOAD_MAX_BYTES', default: 50 * MiB, parse: int(1), doc: 'Largest file a mini-program may post to /bridge/upload (wx.uploadFile / uni.uploadFile; held in memory while the bridge uploads it to OpenIM); larger ones are answered with HTTP 413.' }),
  resumeGraceMs: opt({ flag: 'resume_grace_ms', env: 'RESUME_GRACE_MS', default: 60_000, parse: int(0), doc: 'How long a session whose socket dropped without Logout waits for its client to log in again (0: no resume).' }),
  resumeMaxSessions: opt({ flag: 'resume_max_sessions', env: 'RESUME_MAX_SESSIONS', default: 10_000, parse: int(1), doc: 'Most sessions waiting for resume at once; the least recently parked are released first.' }),
  resumeMaxEvents: opt({ flag: 'resume_max_events', env: 'RESUME_MAX_EVENTS', default: 10_000, parse: int(1), doc: 'Events buffered for one waiting session; past it the session is dropped (the client then logs in afresh).' }),
  resumeMaxBytes: opt({ flag: 'resume_max_bytes', env: 'RESUME_MAX_BYTES', default: 8 * MiB, parse: int(1024), doc: 'Bytes of events buffered for one waiting session; past it the session is dropped.' }),
  syncHoldMaxEvents: opt({ flag: 'sync_hold_max_events', env: 'SYNC_HOLD_MAX_EVENTS', default: 10_000, parse: int(1), doc: 'Most events kept back behind OnSyncServerFinish while a login\'s relation catch-up is read; past it they are sent at once and the catch-up\'s events follow (metric openim_bridge_sync_hold_cut_total).' }),
  syncHoldMaxMs: opt({ flag: 'sync_hold_max_ms', env: 'SYNC_HOLD_MAX_MS', default: 30_000, parse: int(1), doc: 'Longest OnSyncServerFinish and what follows it are kept back for a login\'s relation catch-up; then they are sent and the catch-up\'s events follow (metric openim_bridge_sync_hold_cut_total).' }),
  relationSnapshotMaxAgeMs: opt({ flag: 'relation_snapshot_max_age_ms', env: 'RELATION_SNAPSHOT_MAX_AGE_MS', default: 7 * 24 * 3_600_000, parse: int(0), doc: 'How long the bridge remembers what an app instance was told of its friends, applications and groups, to send what changed while it was away as events at its next login (0: off; an instance not seen for longer counts as new).' }),
  relationSnapshotFlushMs: opt({ flag: 'relation_snapshot_flush_ms', env: 'RELATION_SNAPSHOT_FLUSH_MS', default: 1_000, parse: int(10), doc: 'Relation changes an app instance was sent are written to the state store at most this often per instance (a killed process repeats at most this much at the next login).' }),
  catchupMaxMessages: opt({ flag: 'catchup_max_messages', env: 'CATCHUP_MAX_MESSAGES', default: 1000, parse: int(1), doc: 'Most messages one conversation\'s catch-up sends to an app instance that was away (restart, long absence, upstream reconnect); past it only the newest ones, plus the conversation change (metric openim_bridge_catchup_truncated_total).' }),
  catchupPullsPerSecond: opt({ flag: 'catchup_pulls_per_second', env: 'CATCHUP_PULLS_PER_SECOND', default: 200, parse: int(1), doc: 'Catch-up pulls (up to 100 messages each) started per second across the process, so a mass reconnect after a restart does not starve live traffic; more wait their turn.' }),
  cursorMaxAgeMs: opt({ flag: 'cursor_max_age_ms', env: 'CURSOR_MAX_AGE_MS', default: 3 * 24 * 3600 * 1000, parse: int(1000), doc: 'An app instance\'s delivery cursors are forgotten this long after their last write (the instance then counts as new: no catch-up).' }),
  cursorFlushMs: opt({ flag: 'cursor_flush_ms', env: 'CURSOR_FLUSH_MS', default: 1000, parse: int(1, 60_000), doc: 'Delivery cursor advances are written to the state store at most this often (and on session end and shutdown); a SIGKILL may re-send what was given in the last interval.' }),
  tlsCert: opt({ flag: 'tls_cert', env: 'TLS_CERT', default: '', parse: str, doc: 'PEM certificate file; with tls_key, serve wss:// and https://.' }),
  tlsKey: opt({ flag: 'tls_key', env: 'TLS_KEY', default: '', parse: str, doc: 'PEM private key file for tls_cert.' }),
  dataDir: opt({ flag: 'openIMDbDir', env: 'OPENIM_DB_DIR', default: './db', parse: str, doc: 'Directory for the bridge\'s per-user local data.' }),
  stateStore: opt({ flag: 'state_store', env: 'STATE_STORE', default: '', parse: stateStoreUrl, doc: 'Where per-user state (local data, delivery cursors) is kept: empty: LevelDB under --openIMDbDir (one instance); redis://[user:pass@]host:port/db or rediss://…: Redis, shared by every instance behind a load balancer (see docs/OPERATIONS.md).' }),
  stateStorePrefix: opt({ flag: 'state_store_prefix', env: 'STATE_STORE_PREFIX', default: 'openim-bridge:', parse: str, doc: 'Prefix of every Redis key and channel of the state store (several deployments may share one Redis).' }),
  stateStoreTimeoutMs: opt({ flag: 'state_store_timeout_ms', env: 'STATE_STORE_TIMEOUT_MS', default: 2_000, parse: int(50, 60_000), doc: 'Longest a Redis state-store command (and the first connection) may take; past it the call is answered with errCode 10006 naming the store. Commands are never queued while Redis is away.' }),
  demoPage: opt({ flag: 'demo_page', env: 'DEMO_PAGE', default: 'auto' as 'auto' | 'on' | 'off', parse: autoOnOff, doc: 'Serve the demo chat page at / : auto (only with the embedded emulator), on or off. Its token endpoint /demo/token exists only with the embedded emulator.' }),
} as const;

type Options = typeof OPTIONS;
export type Config = { -readonly [K in keyof Options]: Options[K]['default'] };
export type OptionName = keyof Options;

export class ConfigError extends Error {}

const HELP_FLAGS = new Set(['-h', '--help', '-help']);

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => HELP_FLAGS.has(a));
}

/** Accepts `--flag value`, `--flag=value`, `-flag value` (Go style, as oimws). */
function parseArgv(argv: readonly string[]): Map<string, string> {
  const byFlag = new Map<string, OptionName>();
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec<unknown>][]) byFlag.set(spec.flag, name);
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ConfigError(`unexpected argument "${arg}" (see --help)`);
    const flag = m[1]!;
    if (!byFlag.has(flag)) throw new ConfigError(`unknown option --${flag} (see --help)`);
    let value = m[2];
    if (value === undefined) {
      const spec = OPTIONS[byFlag.get(flag)!] as OptionSpec<unknown>;
      const next = argv[i + 1];
      if (typeof spec.default === 'boolean' && (next === undefined || next.startsWith('-'))) value = 'true';
      else if (next === undefined) throw new ConfigError(`option --${flag} needs a value`);
      else value = argv[++i]!;
    }
    out.set(flag, value);
  }
  return out;
}

/** The config file option is read before the others: it names where the rest may come from. */
export const CONFIG_FILE_FLAG = 'config';
export const CONFIG_FILE_ENV = 'BRIDGE_CONFIG';

/** Reads a JSON config file whose keys are option flags (e.g. {"sdk_ws_port": 10003}). */
function readConfigFile(file: string, readFile: (p: string) => string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file));
  } catch (err) {
    throw new ConfigError(`config file ${file}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${file}: expected a JSON object of option flags`);
  const flags = new Set((Object.values(OPTIONS) as OptionSpec<unknown>[]).map((s) => s.flag));
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed)) {
    if (!flags.has(k)) throw new ConfigError(`config file ${file}: unknown option "${k}"`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new ConfigError(`config file ${file}: option "${k}" must be a string, number or boolean`);
    out.set(k, String(v));
  }
  return out;
}

function splitConfigFlag(argv: readonly string[]): { file?: string; rest: string[] } {
  const rest: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?config(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      rest.push(argv[i]!);
      continue;
    }
    file = m[1] ?? argv[++i];
    if (!file) throw new ConfigError('option --config needs a file path');
  }
  return { file, rest };
}

/** Builds the config from flags, then environment, then the config file, then defaults; names the bad option on error. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const { file, rest } = splitConfigFlag(argv);
  const configFile = file ?? env[CONFIG_FILE_ENV];
  const fromFile = configFile ? readConfigFile(configFile, readFile) : new Map<string, string>();
  const flags = parseArgv(rest);
  const config: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec<unknown>][]) {
    const fromFlag = flags.get(spec.flag);
    const fromEnv = env[spec.env];
    const envValue = fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    const raw = fromFlag ?? envValue ?? fromFile.get(spec.flag);
    if (raw === undefined) {
      config[name] = spec.default;
      continue;
    }
    try {
      config[name] = spec.parse(raw);
    } catch (err) {
      const where = fromFlag !== undefined ? `--${spec.flag}` : envValue !== undefined ? spec.env : `"${spec.flag}" in ${configFile}`;
      throw new ConfigError(`invalid value for ${where}: ${(err as Error).message}`);
    }
  }
  const c = config as Config;
  if (Boolean(c.apiAddress) !== Boolean(c.wsAddress)) {
    throw new ConfigError('--openIM_api_address and --openIM_ws_address must be given together (or neither, for the embedded emulator)');
  }
  if (Boolean(c.tlsCert) !== Boolean(c.tlsKey)) throw new ConfigError('--tls_cert and --tls_key must be given together');
  if (c.workers > 1 && c.tlsCert) throw new ConfigError('--workers above 1 needs plain ws:// and tcp:// (TLS sessions cannot be handed between processes): terminate TLS in front, e.g. with deploy/nginx.conf');
  return c;
}

/** One row per option, for --help and the README. */
export function describeOptions(): { flag: string; env: string; default: string; doc: string }[] {
  return (Object.values(OPTIONS) as OptionSpec<unknown>[]).map((s) => ({
    flag: `--${s.flag}`,
    env: s.env,
    default: s.default === '' ? '(empty)' : String(s.default),
    doc: s.doc,
  }));
}

export function helpText(): string {
  const rows = describeOptions();
  const lines = [
    'Usage: openim-bridge [options]',
    '',
    'Each option is a flag, an environment variable, or a key of the JSON config file;',
    'flags win over the environment, the environment over the file, the file over defaults.',
    '',
    'Options (flag / environment variable, default):',
  ];
  lines.push(`  --${CONFIG_FILE_FLAG} / ${CONFIG_FILE_ENV}  (default: (none))`, '      JSON file of options keyed by flag name, e.g. {"sdk_ws_port": 10003}.');
  for (const r of rows) lines.push(`  ${r.flag} / ${r.env}  (default: ${r.default})`, `      ${r.doc}`);
  lines.push('  --help', '      Show this help.');
  return lines.join('\n');
}

/** The README's configuration table, generated from OPTIONS (a test keeps them in step). */
export function configMarkdownTable(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [
    `| \`--${CONFIG_FILE_FLAG}\` | \`${CONFIG_FILE_ENV}\` | \`(none)\` | JSON file of options keyed by flag name, e.g. \`{"sdk_ws_port": 10003}\`. |`,
    ...describeOptions().map((r) => `| \`${r.flag}\` | \`${r.env}\` | \`${esc(r.default)}\` | ${esc(r.doc)} |`),
  ];
  return ['| flag | environment | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
