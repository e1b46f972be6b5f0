/**
 * Turns one inbound frame into a JssdkRequest, or a precise reason why not.
 * Accepts text and binary frames (mini-program sockets may send either) holding UTF-8 JSON.
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
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(reason: string, text: string): ParseResult {
  return { ok: false, reason, ...sniffIds(text.slice(0, 4096)) };
}

export function parseRequest(bytes: Buffer): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('frame is not valid UTF-8', bytes.toString('latin1'));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('frame is not valid JSON', text);
  }
  if (!isPlainObject(raw)) return fail('frame must be a JSON object', text);
  const opID = raw.operationID;
  const name = raw.reqFuncName;
  const ids = { operationID: typeof opID === 'string' ? opID : '', reqFuncName: typeof name === 'string' ? name : '' };
  const bad = (reason: string): ParseResult => ({ ok: false, reason, ...ids });
  if (typeof name !== 'string' || name === '') return bad('reqFuncName must be a non-empty string');
  if (typeof opID !== 'string' || opID === '') return bad('operationID must be a non-empty string');
  if (raw.userID !== undefined && typeof raw.userID !== 'string') return bad('userID must be a string');
  const data = raw.data ?? '[]';
  if (typeof data !== 'string') return bad('data must be a string holding a JSON array');
  let args: unknown;
  try {
    args = data === '' ? [] : JSON.parse(data);
  } catch {
    return bad('data is not valid JSON');
  }
  if (!Array.isArray(args)) return bad('data must hold a JSON array of arguments');
  return { ok: true, request: { reqFuncName: name, operationID: opID, userID: (raw.userID as string | undefined) ?? '', args } };
}
