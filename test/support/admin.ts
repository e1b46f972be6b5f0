/**
 * Talks to an OpenIM server (the emulator or a real deployment) only through its admin REST API,
 * the way an operator would.
 */
import { randomBytes } from 'node:crypto';

export const ADMIN_USER_ID = 'imAdmin';
const REQUEST_TIMEOUT_MS = 10_000;

/** An OpenIM REST reply with a non-zero errCode. */
export class OpenIMApiError extends Error {
  constructor(
    readonly path: string,
    readonly errCode: number,
    readonly errMsg: string,
    readonly errDlt: string,
  ) {
    super(`${path}: errCode ${errCode} ${errMsg}${errDlt ? ` (${errDlt})` : ''}`);
  }
}

interface Envelope {
  errCode: number;
  errMsg: string;
  errDlt: string;
  data: unknown;
}

function parseEnvelope(path: string, text: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path}: reply is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { errCode?: unknown }).errCode !== 'number') {
    throw new Error(`${path}: reply has no errCode: ${text.slice(0, 200)}`);
  }
  const v = value as Record<string, unknown>;
  return {
    errCode: v.errCode as number,
    errMsg: typeof v.errMsg === 'string' ? v.errMsg : '',
    errDlt: typeof v.errDlt === 'string' ? v.errDlt : '',
    data: v.data,
  };
}

let operationCounter = 0;
function newOperationID(): string {
  operationCounter += 1;
  return `test-${Date.now()}-${operationCounter}`;
}

/** POST a JSON body with the `token` header (omitted when empty); returns `data` or throws OpenIMApiError. */
export async function adminPost<T = unknown>(apiAddr: string, token: string, path: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', operationID: newOperationID() };
  if (token) headers.token = token;
  const res = await fetch(apiAddr + path, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const env = parseEnvelope(path, await res.text());
  if (env.errCode !== 0) throw new OpenIMApiError(path, env.errCode, env.errMsg, env.errDlt);
  return env.data as T;
}

function tokenOf(path: string, data: unknown): string {
  const token = typeof data === 'object' && data !== null ? (data as { token?: unknown }).token : undefined;
  if (typeof token !== 'string' || token === '') throw new Error(`${path}: no token in reply`);
  return token;
}

export async function adminToken(apiAddr: string, secret: string): Promise<string> {
  const path = '/auth/get_admin_token';
  return tokenOf(path, await adminPost(apiAddr, '', path, { secret, userID: ADMIN_USER_ID }));
}

export interface NewUser {
  userID: string;
  nickname?: string;
  faceURL?: string;
}

export async function registerUsers(apiAddr: string, token: string, users: NewUser[]): Promise<void> {
  const payload = users.map((u) => ({ userID: u.userID, nickname: u.nickname ?? u.userID, faceURL: u.faceURL ?? '' }));
  await adminPost(apiAddr, token, '/user/user_register', { users: payload });
}

export async function userToken(apiAddr: string, token: string, userID: string, platformID: number): Promise<string> {
  const path = '/auth/get_user_token';
  return tokenOf(path, await adminPost(apiAddr, token, path, { userID, platformID }));
}

/** A user ID no other test (or earlier run against a real server) has used. */
export function uniqueUserID(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}
