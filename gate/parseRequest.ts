/**
 * Turns one decoded request envelope into a JssdkRequest, or a precise reason why not.
 * The envelope is the same for every codec; only where the arguments live differs: the jssdk
 * (JSON) sends `data` as a JSON string holding the argument array, msgpack sends the array.
 */
import type { JssdkRequest } from './frames';

export type ParseResult =
  | { readonly ok: true; readonly request: JssdkRequest }
  | { readonly ok: false; readonly reason: string; readonly operationID: string; readonly reqFuncName: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Best effort, for error replies to frames we cannot fully read (oversized, malformed). */
export function sniffIds(head: string): { operationID: string; reqFuncName: string } {
  const op = /"operationID"\s*:\s*"([^"\\]{0,128})"/.exec(head);
  const fn = /"reqFuncName"\s*:\s*"([A-Za-z0-9_]{1,64})"/.exec(head);
  return { operationID: op?.[1] ?? '', reqFuncName: fn?.[1] ?? '' };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function unreadable(reason: string, head = ''): ParseResult {
  return { ok: false, reason, ...sniffIds(head.slice(0, 4096)) };
}

/** `data` as the jssdk sends it: a JSON string holding the argument array ("" and absent mean none). */
export function argsFromJsonString(data: unknown): unknown[] | string {
  const text = data ?? '[]';
  if (typeof text !== 'string') return 'data must be a string holding a JSON array';
  let args: unknown;
  try {
    args = text === '' ? [] : JSON.parse(text);
  } catch {
    return 'data is not valid JSON';
  }
  return Array.isArray(args) ? args : 'data must hold a JSON array of arguments';
}

/** `data` as binary codecs send it: the argument array itself (absent means none). */
export function argsFromArray(data: unknown): unknown[] | string {
  if (data === undefined || data === null) return [];
  return Array.isArray(data) ? data : 'data must be an array of arguments';
}

/** Validates a decoded envelope `{reqFuncName, operationID, userID?, data}`. */
export function readEnvelope(raw: unknown, args: (data: unknown) => unknown[] | string, what = 'frame'): ParseResult {
  if (!isPlainObject(raw)) return unreadable(`${what} must be an object`);
  const opID = raw.operationID;
  const name = raw.reqFuncName;
  const ids = { operationID: typeof opID === 'string' ? opID : '', reqFuncName: typeof name === 'string' ? name : '' };
  const bad = (reason: string): ParseResult => ({ ok: false, reason, ...ids });
  if (typeof name !== 'string' || name === '') return bad('reqFuncName must be a non-empty string');
  if (typeof opID !== 'string' || opID === '') return bad('operationID must be a non-empty string');
  if (raw.userID !== undefined && raw.userID !== null && typeof raw.userID !== 'string') return bad('userID must be a string');
  const decoded = args(raw.data);
  if (typeof decoded === 'string') return bad(decoded);
  return { ok: true, request: { reqFuncName: name, operationID: opID, userID: typeof raw.userID === 'string' ? raw.userID : '', args: decoded } };
}

/** The jssdk's JSON frame. */
export function parseRequest(bytes: Buffer): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return unreadable('frame is not valid UTF-8', bytes.toString('latin1'));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return unreadable('frame is not valid JSON', text);
  }
  if (!isPlainObject(raw)) return unreadable('frame must be a JSON object', text);
  return readEnvelope(raw, argsFromJsonString);
}
