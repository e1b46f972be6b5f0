/**
 * Serialises a reply the way the real server's encoding/json does with protoc-gen-go structs:
 * zero-valued fields are omitted (every generated json tag has omitempty) and []byte is base64.
 */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0);
}

export function toGoJsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toGoJsonValue);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (val instanceof Uint8Array && val.length === 0) continue;
      if (isEmpty(val)) continue;
      out[k] = toGoJsonValue(val);
    }
    return out;
  }
  return v;
}

export function envelope(errCode: number, errMsg: string, errDlt: string, data: unknown): string {
  const body: Record<string, unknown> = { errCode, errMsg, errDlt };
  if (data !== undefined && data !== null) body.data = toGoJsonValue(data);
  return JSON.stringify(body);
}
