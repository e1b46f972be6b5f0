/**
 * The common frame of an emulator suite: a test server for the suite, its admin token, and
 * client-SDK users that are logged in on demand and released when the suite ends.
 */
import { adminToken, registerUsers, uniqueUserID, userToken } from './admin';
import { loggedInClient, WEB_PLATFORM_ID, type SdkClient } from './clientSdk';
import { startTestServer, type TestServer } from './emulator';

export interface EmulatorSuite {
  readonly server: TestServer;
  readonly admin: string;
  /** Registers a fresh user; the nickname defaults to the prefix. */
  newUser(prefix: string, profile?: { nickname?: string; faceURL?: string }): Promise<string>;
  /** Logs a registered user in with the client SDK (released when the suite ends). */
  loginAs(userID: string, platformID?: number): Promise<SdkClient>;
  /** A fresh user, logged in. */
  login(prefix: string, platformID?: number): Promise<SdkClient>;
  /** Releases a client the test created itself when the suite ends. */
  track(client: SdkClient): SdkClient;
}

export function emulatorSuite(): EmulatorSuite {
  let server: TestServer | undefined;
  let admin = '';
  const clients: SdkClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server?.close();
  });
  const suite: EmulatorSuite = {
    get server() {
      if (!server) throw new Error('the suite has not started');
      return server;
    },
    get admin() {
      return admin;
    },
    async newUser(prefix, profile = {}) {
      const userID = uniqueUserID(prefix);
      await registerUsers(suite.server.apiAddress, admin, [{ userID, nickname: profile.nickname ?? prefix, faceURL: profile.faceURL }]);
      return userID;
    },
    async loginAs(userID, platformID = WEB_PLATFORM_ID) {
      const token = await userToken(suite.server.apiAddress, admin, userID, platformID);
      const c = await loggedInClient({ userID, token, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress, platformID });
      clients.push(c);
      return c;
    },
    track(client) {
      clients.push(client);
      return client;
    },
    async login(prefix, platformID = WEB_PLATFORM_ID) {
      return suite.loginAs(await suite.newUser(prefix), platformID);
    },
  };
  return suite;
}
