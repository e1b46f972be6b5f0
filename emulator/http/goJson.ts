/**
 * The emulator's one JSON writer, for REST replies and notification tips alike: what Go's
 * encoding/json (json.Marshal) writes for the openimsdk/protocol structs the real server answers
 * with (apiresp.ApiResponse.MarshalJSON, notification.go NotificationSender via
 * jsonutil.StructToJsonString).
 *
 * - A plain object is a Go struct: every field is written, zero values included (`""`, `0`,
 *   `false`); the generated tags carry no `omitempty`. `undefined` or `null` is a nil pointer,
 *   slice or map: `null`. An empty list is written `null` (a nil slice).
 * - A `Map` is a protobuf map field: keys sorted as Go sorts them; an empty map is left out of
 *   its struct when the protocol release tags maps `omitempty` (GoJsonRules.mapsOmitEmpty).
 *   `NIL_MAP` is a map field the server never made: `null`, or left out under `omitempty`.
 * - `Uint8Array` is `[]byte`: base64, and `null` when empty (nil). `bigint` is a uint64 written
 *   in full digits (idHash), which a JSON number in JavaScript could not hold.
 * - Strings are escaped as json.Marshal does: `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`.
 */

export interface GoJsonRules {
  /**
   * Whether the protocol's generated map fields carry `omitempty` (profile.ts protocolMapTags):
   * protocol v0.0.69 (server v3.8.0) tags every map `omitempty`; the v0.0.72 / v0.0.73 releases
   * of v3.8.3 and its patches write maps always (an empty made map is `{}`).
   */
  readonly mapsOmitEmpty: boolean;
}

const GO_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/** A nil Go map (a reply whose map field the real function never sets). */
export const NIL_MAP: ReadonlyMap<string, never> = Object.freeze(new Map<string, never>());

/** A JS record as a Go map field. */
export function goMap<V>(record: Readonly<Record<string, V>>): Map<string, V> {
  return new Map(Object.entries(record));
}

function isEmptyMapField(v: unknown, rules: GoJsonRules): boolean {
  return rules.mapsOmitEmpty && v instanceof Map && v.size === 0;
}

/** Go's sort.Strings order (bytes of UTF-8), which for map keys is what json.Marshal uses. */
function goKeyOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function goJson(v: unknown, rules: GoJsonRules): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return v.length === 0 ? 'null' : `"${Buffer.from(v).toString('base64')}"`;
  if (Array.isArray(v)) return v.length === 0 ? 'null' : `[${v.map((x) => goJson(x, rules)).join(',')}]`;
  if (v === NIL_MAP) return 'null';
  if (v instanceof Map) {
    const keys = [...v.keys()].map(String).sort(goKeyOrder);
    return `{${keys.map((k) => `${goString(k)}:${goJson(v.get(k), rules)}`).join(',')}}`;
  }
  if (typeof v === 'object') {
    const fields = Object.entries(v).filter(([, val]) => !isEmptyMapField(val, rules));
    return `{${fields.map(([k, val]) => `${goString(k)}:${goJson(val, rules)}`).join(',')}}`;
  }
  return 'null';
}

/** A plain object literal with no keys: a reply struct whose fields are all private. */
function isFieldless(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !(data instanceof Map) && !(data instanceof Uint8Array) && Object.keys(data).length === 0;
}

/**
 * apiresp.ApiResponse: `data` is `omitempty` (absent on errors and for nil), and MarshalJSON
 * drops it for a reply struct with no exported fields (isAllFieldsPrivate), such as
 * `user.UpdateUserInfoResp`: handlers return `{}` for those.
 */
export function envelope(errCode: number, errMsg: string, errDlt: string, data: unknown, rules: GoJsonRules): string {
  const head = `{"errCode":${errCode},"errMsg":${goString(errMsg)},"errDlt":${goString(errDlt)}`;
  if (data === undefined || data === null || isFieldless(data)) return `${head}}`;
  return `${head},"data":${goJson(data, rules)}}`;
}
