/**
 * The readers of every route's `unknown` JSON body, as gin's JSON binding into the protocol's Go
 * structs reads it: a field of the wrong type is an ArgsError (1001); a missing or null field is
 * its zero value (a nil slice for lists, which `isNil` tells apart from `[]` for the protocol's
 * `Check()` functions that test `x.Seqs == nil`).
 */
import { argsError } from '../errors';

export type Fields = Readonly<Record<string, unknown>>;

export function asObject(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Uint8Array) {
    throw argsError('request body must be a JSON object');
  }
  return body as Fields;
}

/** A list field that Go would decode as a nil slice (absent or null). */
export function isNil(o: Fields, key: string): boolean {
  return o[key] === undefined || o[key] === null;
}

export function optString(o: Fields, key: string): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw argsError(`${key} must be a string`);
  return v;
}

export function reqString(o: Fields, key: string): string {
  const v = optString(o, key);
  if (v === '') throw argsError(`${key} is required`);
  return v;
}

/** Every number the protocol declares is an int32/int64/uint64: a fraction does not bind. */
export function optNumber(o: Fields, key: string): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw argsError(`${key} must be an integer`);
  return v;
}

export function reqNumber(o: Fields, key: string): number {
  if (isNil(o, key)) throw argsError(`${key} is required`);
  return optNumber(o, key);
}

export function optBool(o: Fields, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw argsError(`${key} must be a boolean`);
  return v;
}

export function optStringArray(o: Fields, key: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw argsError(`${key} must be an array of strings`);
  return v as string[];
}

export function optNumberArray(o: Fields, key: string): number[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x))) throw argsError(`${key} must be an array of integers`);
  return v as number[];
}

export function optObject(o: Fields, key: string): Fields | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return asObject(v);
}

export function optObjectArray(o: Fields, key: string): Fields[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw argsError(`${key} must be a list`);
  return v.map((item) => asObject(item));
}

type WrappedType = 'string' | 'boolean' | 'number';
type WrappedValue<T extends WrappedType> = T extends 'string' ? string : T extends 'boolean' ? boolean : number;

/**
 * protobuf wrapper fields (StringValue, BoolValue, Int32Value): the protocol's JSON binding takes
 * either the bare value or `{value}`; absent or null means "leave unchanged".
 */
export function wrapped<T extends WrappedType>(o: Fields, key: string, type: T): WrappedValue<T> | undefined {
  let v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const inner = (v as Fields).value;
    v = inner === undefined || inner === null ? zeroOf(type) : inner;
  }
  if (typeof v !== type || (type === 'number' && !Number.isInteger(v))) throw argsError(`${key} must be a ${type}`);
  return v as WrappedValue<T>;
}

function zeroOf(type: WrappedType): unknown {
  return type === 'string' ? '' : type === 'boolean' ? false : 0;
}

export function hasDuplicates(list: readonly string[]): boolean {
  return new Set(list).size !== list.length;
}
