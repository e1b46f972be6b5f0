/**
 * Fills in the fields open-im-sdk 3.5.2's `types/entity.ts` declares but the client SDK
 * leaves out, so a jssdk application never reads `undefined` where it expects a value.
 */
type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Returns a copy of `value` with each missing (undefined) key of `defaults` set. A list the
 * server wrote as `null` (a nil Go slice: the real server's JSON has no omitempty) counts as
 * missing where the default is a list: lists never break in the app.
 */
export function withDefaults<T extends Json>(value: unknown, defaults: T): T & Json {
  if (!isObject(value)) return value as T & Json;
  const out: Json = { ...value };
  for (const [k, v] of Object.entries(defaults)) {
    if (out[k] === undefined || (out[k] === null && Array.isArray(v))) out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return out as T & Json;
}

export function mapList(value: unknown, convert: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(convert) : value;
}
