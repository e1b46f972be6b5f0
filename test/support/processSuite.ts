/**
 * A suite of bridge processes in front of one emulator: the emulator and its admin token for
 * the whole suite, and every process, jssdk client and data directory the tests start, released
 * at its end (a process still running is killed).
 */
import fs from 'node:fs';
import { adminToken } from './admin';
import { freshDataDir, startBridgeProcess, type BridgeProcess } from './bridgeProcess';
import { startTestServer, type TestServer } from './emulator';
import type { JssdkClient } from './jssdk';

export interface ProcessSuite {
  readonly server: TestServer;
  readonly admin: string;
  /** jssdk clients disposed at the end. */
  readonly clients: JssdkClient[];
  /** A data directory removed at the end. */
  dataDir(): string;
  /** A bridge process pointed at the suite's emulator; `env` adds to (or overrides) that. */
  start(env?: Record<string, string>, args?: string[]): Promise<BridgeProcess>;
}

export function processSuite(): ProcessSuite {
  let server: TestServer | undefined;
  let admin = '';
  const clients: JssdkClient[] = [];
  const bridges: BridgeProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const b of bridges) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    await Promise.all(bridges.map((b) => b.exited()));
    await server?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const suite: ProcessSuite = {
    get server() {
      if (!server) throw new Error('the suite has not started');
      return server;
    },
    get admin() {
      return admin;
    },
    clients,
    dataDir() {
      const d = freshDataDir();
      dirs.push(d);
      return d;
    },
    async start(env = {}, args = []) {
      const b = await startBridgeProcess(args, { OPENIM_API_ADDRESS: suite.server.apiAddress, OPENIM_WS_ADDRESS: suite.server.wsAddress, ...env });
      bridges.push(b);
      return b;
    },
  };
  return suite;
}
