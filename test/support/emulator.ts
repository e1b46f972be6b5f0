/**
 * The OpenIM server a suite runs against: a fresh emulator on port 0, or — when
 * OPENIM_API_ADDRESS, OPENIM_WS_ADDRESS and OPENIM_SECRET are set — a real deployment.
 */
import WebSocket from 'ws';
import { resolveProfile, startEmulator } from '../../emulator';
import type { EmulatorHandle, EmulatorOptions, EmulatorProfile } from '../../emulator';

/**
 * The release profile suites run against: EMULATOR_PROFILE (set per jest project by
 * test/support/profileSetup.ts), else the emulator's default. Tests whose expectations differ
 * between releases read its switches.
 */
export function testProfile(): EmulatorProfile {
  return resolveProfile(process.env.EMULATOR_PROFILE);
}

export interface TestServer {
  readonly apiAddress: string;
  readonly wsAddress: string;
  readonly secret: string;
  /** The emulator itself, or undefined when the suite runs against a real server. */
  readonly emulator: EmulatorHandle | undefined;
  /** Outage of the whole server, state kept (emulator only). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function realServerFromEnv(env: NodeJS.ProcessEnv = process.env): TestServer | undefined {
  const apiAddress = env.OPENIM_API_ADDRESS;
  const wsAddress = env.OPENIM_WS_ADDRESS;
  const secret = env.OPENIM_SECRET;
  if (!apiAddress || !wsAddress || !secret) return undefined;
  const unsupported = async () => {
    throw new Error('stopping a real OpenIM server is not supported');
  };
  return { apiAddress, wsAddress, secret, emulator: undefined, stop: unsupported, start: unsupported, close: async () => undefined };
}

export async function startTestServer(options: Omit<EmulatorOptions, 'apiPort' | 'wsPort'> = {}): Promise<TestServer> {
  const real = realServerFromEnv();
  if (real) return real;
  const emulator = await startEmulator({ apiPort: 0, wsPort: 0, profile: testProfile().name, ...options });
  return {
    apiAddress: emulator.apiAddress,
    wsAddress: emulator.wsAddress,
    secret: emulator.secret,
    emulator,
    stop: () => emulator.stop(),
    start: () => emulator.start(),
    close: () => emulator.close(),
  };
}

/** True when suites run against the emulator (tests that need its internals skip otherwise). */
export function usingEmulator(): boolean {
  return realServerFromEnv() === undefined;
}

/**
 * Opens a raw gateway socket and resolves with its first text frame, or with the HTTP reply
 * when the gateway answers without an upgrade (how a handshake error reaches a client).
 */
export function firstGatewayReply(url: string): Promise<{ upgraded: boolean; body: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.once('message', (d) => resolve({ upgraded: true, body: String(d), closed }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ upgraded: false, body, closed: Promise.resolve() }));
    });
    ws.once('error', (e) => reject(e));
  });
}
