/**
 * The real API encodes its protobuf replies with Go's encoding/json, and every generated field
 * carries `omitempty`: zero numbers, empty strings, false, empty lists and nil pointers are left
 * out. Clients (the client SDK among them) are written against that, so our replies drop them too.
 * Nested objects stay even when all their fields are empty (a non-nil pointer encodes as `{}`).
 * Protobuf map fields are passed as `Map`s: an empty one is left out, and its entries always stay.
 */
function isEmptyField(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === 0 ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (value instanceof Map && value.size === 0)
  );
}

/** Encode a protobuf-shaped message the way the real server's JSON does. */
export function omitEmpty<T>(message: T): T {
  return strip(message) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = strip(v);
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!isEmptyField(v)) out[k] = strip(v);
    }
    return out;
  }
  return value;
}
