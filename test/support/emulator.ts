/**
 * The OpenIM server a suite runs against: a fresh emulator on port 0, or — when
 * OPENIM_API_ADDRESS, OPENIM_WS_ADDRESS and OPENIM_SECRET are set — a real deployment.
 */
import { startEmulator } from '../../emulator';
import type { EmulatorHandle, EmulatorOptions } from '../../emulator';

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
  const emulator = await startEmulator({ apiPort: 0, wsPort: 0, ...options });
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
