/** Drives the relation and group domains through their route tables, without any server. */
import { ApiError } from '../../emulator/api/contract';
import { goJson } from '../../emulator/http/goJson';
import { resolveProfile } from '../../emulator/profile';
import type { DomainDeps, Notifier, RouteTable, UserDirectory, UserRecord } from '../../emulator/api/contract';

export interface RecordedNotification {
  kind: 'users' | 'group';
  sendID: string;
  recvIDs: string[];
  groupID: string;
  contentType: number;
  detail: Record<string, unknown>;
  operationID: string;
}

export class RecordingNotifier implements Notifier {
  readonly sent: RecordedNotification[] = [];

  notifyUsers(p: { sendID: string; recvIDs: string[]; contentType: number; detail: object; operationID?: string }): void {
    this.sent.push({ kind: 'users', sendID: p.sendID, recvIDs: p.recvIDs, groupID: '', contentType: p.contentType, detail: roundTrip(p.detail), operationID: p.operationID ?? '' });
  }

  notifyGroup(p: { sendID: string; groupID: string; contentType: number; detail: object; operationID?: string }): void {
    this.sent.push({ kind: 'group', sendID: p.sendID, recvIDs: [], groupID: p.groupID, contentType: p.contentType, detail: roundTrip(p.detail), operationID: p.operationID ?? '' });
  }

  ofType(contentType: number): RecordedNotification[] {
    return this.sent.filter((n) => n.contentType === contentType);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

export class FakeUsers implements UserDirectory {
  private readonly users = new Map<string, UserRecord>();

  add(userID: string, nickname = `${userID}-nick`, faceURL = `https://face/${userID}`): void {
    this.users.set(userID, { userID, nickname, faceURL, ex: '', createTime: 1, appMangerLevel: 0, globalRecvMsgOpt: 0 });
  }

  get(userID: string): UserRecord | undefined {
    return this.users.get(userID);
  }

  exists(userID: string): boolean {
    return this.users.has(userID);
  }
}

export interface FakeDeps extends DomainDeps {
  readonly users: FakeUsers;
  readonly notifier: RecordingNotifier;
  /** Move the fake clock forward. */
  tick(ms: number): void;
}

export function fakeDeps(userIDs: string[], startMs = 1_700_000_000_000): FakeDeps {
  const users = new FakeUsers();
  for (const id of userIDs) users.add(id);
  let clock = startMs;
  return { users, notifier: new RecordingNotifier(), now: () => clock, tick: (ms) => (clock += ms) };
}

let operationCounter = 0;

/** Call a route as `opUserID` (an app admin when `isAdmin`); returns the reply as the wire JSON would carry it. */
export async function callRoute(
  routes: RouteTable,
  path: string,
  opUserID: string,
  body: unknown,
  isAdmin = false,
): Promise<Record<string, unknown>> {
  const handler = routes.get(path);
  if (!handler) throw new Error(`no route ${path}`);
  operationCounter += 1;
  const reply = await handler({ path, body, operationID: `op-${operationCounter}`, opUserID, opPlatformID: 5, isAdmin });
  return reply === undefined ? {} : roundTrip(reply);
}

/** The errCode a call fails with (fails the test when the call succeeds). */
export async function errCodeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiError) return e.errCode;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** What the emulator's one JSON writer puts on the wire (default profile: maps always written). */
function roundTrip(value: unknown): Record<string, unknown> {
  return JSON.parse(goJson(value, resolveProfile(undefined))) as Record<string, unknown>;
}
