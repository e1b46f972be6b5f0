/**
 * What the client SDK's own login sync read of the user's relations, handed to the session that
 * asked for it so the relation tracker's baseline need not ask the server again. The SDK 0.0.14
 * sends its first login sync with the Login's operationID (later reconnects draw fresh ones), so
 * a reply is its session's when the request's `token` and `operationID` headers are the ones the
 * session registered and the body names the session's user. Only the lean path of upstreamFetch
 * reports here (the bridge's own REST calls never pass it); anything not seen is "not available".
 */

/** Where the server's friend version log stood (get_incremental_friends' versionID and version). */
export interface LogMark {
  readonly versionID: string;
  readonly version: number;
}

/** The SDK's login-sync reads; each resolves undefined when the SDK did not make it or it failed. */
export interface LoginSyncReads {
  /** Friend log mark of get_incremental_friends {version 0, versionID ''} (the log's current mark). */
  readonly friendMark: Promise<LogMark | undefined>;
  /** get_full_friend_user_ids {idHash 0}. */
  readonly friendIDs: Promise<readonly string[] | undefined>;
  /** get_full_join_group_ids {idHash 0}. */
  readonly joinedGroupIDs: Promise<readonly string[] | undefined>;
}

type Json = Record<string, unknown>;

interface Tapped {
  readonly path: string;
  /** Whether the request is the login sync's first reading (nothing known before it). */
  first(body: Json): boolean;
  read(data: Json): unknown;
}

const NONE: unique symbol = Symbol('none');

function ids(data: Json, name: string): readonly string[] | typeof NONE {
  // Asked with idHash 0: `equal` means the hash of the list is 0, which only the empty list has.
  if (data.equal === true) return [];
  const list = data[name];
  return Array.isArray(list) && list.length > 0 && list.every((x) => typeof x === 'string') ? (list as string[]) : NONE;
}

const TAPPED = {
  friendMark: {
    path: '/friend/get_incremental_friends',
    first: (b) => b.version === 0 && b.versionID === '',
    read: (d) => (typeof d.versionID === 'string' && typeof d.version === 'number' ? { versionID: d.versionID, version: d.version } : NONE),
  },
  friendIDs: { path: '/friend/get_full_friend_user_ids', first: (b) => b.idHash === 0, read: (d) => ids(d, 'userIDs') },
  joinedGroupIDs: { path: '/group/get_full_join_group_ids', first: (b) => b.idHash === 0, read: (d) => ids(d, 'groupIDs') },
} satisfies Record<keyof LoginSyncReads, Tapped>;

type Name = keyof LoginSyncReads;
const NAMES = Object.keys(TAPPED) as Name[];

/** One session's expectation: the reads seen so far (their replies may still be on the way). */
class Expectation {
  readonly seen = new Map<Name, Promise<unknown>>();
  constructor(readonly userID: string) {}
}

/** Registered sessions by token and operationID (process-wide: upstreamFetch is one per process). */
const expected = new Map<string, Expectation | 'ambiguous'>();

const keyOf = (token: string, operationID: string) => `${token}\u0000${operationID}`;

/** A session's hold on its login sync's reads: take them once, or close. */
export class LoginSyncTap {
  private expectation?: Expectation;
  private closed = false;

  private constructor(
    private readonly key: string,
    expectation: Expectation | undefined,
  ) {
    this.expectation = expectation;
  }

  /** Registers before the SDK logs in. Two sessions of one token and operationID at once: neither is fed. */
  static expect(userID: string, token: string, operationID: string): LoginSyncTap {
    const key = keyOf(token, operationID);
    if (expected.has(key)) {
      expected.set(key, 'ambiguous');
      return new LoginSyncTap(key, undefined);
    }
    const e = new Expectation(userID);
    expected.set(key, e);
    return new LoginSyncTap(key, e);
  }

  /** The reads (unseen ones resolve undefined at once); the tap keeps nothing after. */
  take(): LoginSyncReads {
    const e = this.expectation;
    this.close();
    const of = (name: Name) => (e?.seen.get(name) ?? Promise.resolve(undefined)) as Promise<never>;
    return { friendMark: of('friendMark'), friendIDs: of('friendIDs'), joinedGroupIDs: of('joinedGroupIDs') };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (expected.get(this.key) === (this.expectation ?? 'ambiguous')) expected.delete(this.key);
    this.expectation = undefined;
  }
}

function parse(b: Buffer | undefined): Json | undefined {
  if (!b) return undefined;
  try {
    const v = JSON.parse(b.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** What a reply's body says, or undefined (not OK, not JSON, an error, an unexpected shape). */
function replyData(tapped: Tapped, reply: { status: number; body: Buffer }): unknown {
  if (reply.status !== 200) return undefined;
  const env = parse(reply.body);
  if (env?.errCode !== 0 || typeof env.data !== 'object' || env.data === null) return undefined;
  const v = tapped.read(env.data as Json);
  return v === NONE ? undefined : v;
}

/** upstreamFetch's hook: a POST of the client SDK about to go out, and its reply to come. */
export function observeSdkPost(pathname: string, headers: Record<string, string>, body: Buffer | undefined, reply: Promise<{ status: number; body: Buffer }>): void {
  if (expected.size === 0) return;
  const name = NAMES.find((n) => pathname.endsWith(TAPPED[n].path));
  if (!name) return;
  const key = keyOf(headers.token ?? '', headers.operationID ?? headers.operationid ?? '');
  const e = expected.get(key);
  if (!e || e === 'ambiguous' || e.seen.has(name)) return;
  const req = parse(body);
  if (req?.userID !== e.userID || !TAPPED[name].first(req)) return;
  e.seen.set(
    name,
    reply.then(
      (r) => replyData(TAPPED[name], r),
      () => undefined,
    ),
  );
  if (e.seen.size === NAMES.length) expected.delete(key);
}

/** Sessions registered and not yet taken or closed (leak tests). */
export function loginSyncExpectations(): number {
  return expected.size;
}
