/**
 * Small validators for `unknown` JSON request bodies. A field of the wrong type is an
 * ArgsError (1001), as the real API's JSON binding answers it; a missing field is its zero
 * value, as in a Go struct.
 */
import { argsError } from './errors';

/** The same reader as the other routes' (a missing or null string is ''). */
export { optString as optionalString } from '../http/validate';

export type Body = Readonly<Record<string, unknown>>;

export function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw argsError('request body is not a JSON object');
  return body as Body;
}

export function optionalInt(body: Body, key: string): number {
  const v = body[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw argsError(`${key} must be an integer`);
  return v;
}

export function stringList(body: Body, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw argsError(`${key} must be a list of strings`);
  return v as string[];
}

export function intList(body: Body, key: string): number[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x))) throw argsError(`${key} must be a list of integers`);
  return v as number[];
}

export function objectList(body: Body, key: string): Body[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw argsError(`${key} must be a list`);
  return v.map((item) => objectBody(item));
}

export function optionalObject(body: Body, key: string): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  return objectBody(v);
}

/**
 * protobuf wrapper fields (StringValue, BoolValue, Int32Value): the protocol's JSON binding takes
 * either the bare value or `{value}`; absent or null means "leave unchanged".
 */
export function wrapped<T extends 'string' | 'boolean' | 'number'>(
  body: Body,
  key: string,
  type: T,
): (T extends 'string' ? string : T extends 'boolean' ? boolean : number) | undefined {
  let v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const inner = (v as Record<string, unknown>).value;
    v = inner === undefined || inner === null ? zeroOf(type) : inner;
  }
  if (typeof v !== type || (type === 'number' && !Number.isInteger(v))) throw argsError(`${key} must be a ${type}`);
  return v as never;
}

function zeroOf(type: 'string' | 'boolean' | 'number'): unknown {
  return type === 'string' ? '' : type === 'boolean' ? false : 0;
}

export function hasDuplicates(list: readonly string[]): boolean {
  return new Set(list).size !== list.length;
}
