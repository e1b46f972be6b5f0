/** A bridge on port 0 in front of a test OpenIM server (the emulator, or a real one from env), with a fresh data dir. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger';
import { startBridge, type BridgeHandle, type BridgeOptions } from '../../module/bridge';
import { adminToken, registerUsers, uniqueUserID, userToken } from './admin';
import { startTestServer, type TestServer } from './emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from './jssdk';

export interface BridgeFixture {
  readonly server: TestServer;
  readonly bridge: BridgeHandle;
  readonly adminToken: string;
  /** Registers fresh users and returns their IDs. */
  newUsers(prefix: string, count: number): Promise<string[]>;
  tokenFor(userID: string, platformID?: number): Promise<string>;
  close(): Promise<void>;
}

export const TEST_LIMITS = { maxInflightRequests: 64, loginTimeoutMs: 15_000, requestTimeoutMs: 15_000, loginDeadlineMs: 30_000, idleTimeoutMs: 10_000, replayHighWaterBytes: 64 * 1024 };
export const TEST_ADMISSION = { allowedOrigins: ['*'], connectRatePerIp: 0, tokenSecret: '' };

/** Bridge options for tests: the production defaults, port 0, quiet logs, a fresh data dir. */
export function testBridgeOptions(upstream: { apiAddress: string; wsAddress: string }, overrides: Partial<BridgeOptions> = {}): BridgeOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    upstream: { apiAddress: upstream.apiAddress, wsAddress: upstream.wsAddress },
    maxFrameBytes: 10 * 1024 * 1024,
    maxConnections: 100_000,
    maxOutboundBytes: 16 * 1024 * 1024,
    pingIntervalMs: 28_000,
    pongTimeoutMs: 60_000,
    limits: TEST_LIMITS,
    admission: TEST_ADMISSION,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-db-')),
    resume: { graceMs: 60_000, maxSessions: 10_000, maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 },
    logger: createLogger(process.env.TEST_LOG_LEVEL === undefined ? 'silent' : (process.env.TEST_LOG_LEVEL as 'debug')),
    ...overrides,
  };
}

/** `overrides` may depend on the test server (e.g. its token secret). */
export async function startBridgeFixture(
  overrides: Partial<BridgeOptions> | ((server: TestServer) => Partial<BridgeOptions>) = {},
): Promise<BridgeFixture> {
  const server = await startTestServer();
  const extra = typeof overrides === 'function' ? overrides(server) : overrides;
  const options = testBridgeOptions(server, extra);
  const bridge = await startBridge(options);
  const admin = await adminToken(server.apiAddress, server.secret);
  return {
    server,
    bridge,
    adminToken: admin,
    async newUsers(prefix, count) {
      const ids = Array.from({ length: count }, (_, i) => uniqueUserID(`${prefix}${i}`));
      await registerUsers(server.apiAddress, admin, ids.map((userID) => ({ userID, nickname: `nick ${userID}` })));
      return ids;
    },
    tokenFor: (userID, platformID = 5) => userToken(server.apiAddress, admin, userID, platformID),
    async close() {
      await bridge.close();
      await server.close();
      fs.rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

export interface BridgeSuite {
  readonly fx: BridgeFixture;
  /** A registered user logged in through the bridge with the real jssdk, synced (released when the suite ends). */
  login(userID: string): Promise<JssdkClient>;
  /** Releases a jssdk client the test created itself when the suite ends. */
  track(client: JssdkClient): JssdkClient;
}

/** A bridge fixture for a whole suite, with jssdk clients logged in on demand and released at its end. */
export function bridgeSuite(overrides?: Parameters<typeof startBridgeFixture>[0]): BridgeSuite {
  let fx: BridgeFixture | undefined;
  const clients: JssdkClient[] = [];
  beforeAll(async () => {
    fx = await startBridgeFixture(overrides);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await fx?.close();
  });
  const suite: BridgeSuite = {
    get fx() {
      if (!fx) throw new Error('the suite has not started');
      return fx;
    },
    track(client) {
      clients.push(client);
      return client;
    },
    async login(userID) {
      const c = suite.track(createJssdk(userID));
      await jssdkLogin(c, { token: await suite.fx.tokenFor(userID), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
      await c.events.waitFor('OnSyncServerFinish');
      return c;
    },
  };
  return suite;
}
