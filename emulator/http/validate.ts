/** Small validators that turn an `unknown` request body into typed fields or an ArgsError. */
import { argsError } from '../errors';

export type Fields = Record<string, unknown>;

export function asObject(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Uint8Array) {
    throw argsError('request body must be a JSON object');
  }
  return body as Fields;
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

export function optNumber(o: Fields, key: string): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw argsError(`${key} must be a number`);
  return v;
}

export function reqNumber(o: Fields, key: string): number {
  if (o[key] === undefined || o[key] === null) throw argsError(`${key} is required`);
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
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw argsError(`${key} must be an array of numbers`);
  return v as number[];
}

export function optObject(o: Fields, key: string): Fields | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return asObject(v);
}

/** The `{value: x}` wrappers (wrapperspb) the real API uses for optional fields. */
export function optWrapped(o: Fields, key: string): unknown {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v) && 'value' in (v as Fields)) return (v as Fields).value;
  return v;
}
