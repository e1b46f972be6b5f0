/**
 * Decoders for the two tiny requests @openim/protocol ships no codec for
 * (sdkws.GetMaxSeqReq and sdkws.SetAppBackgroundStatusReq).
 */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

type Field = { no: number; varint?: number; bytes?: Uint8Array };

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 64; i++) {
    const b = buf[i];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, i + 1];
  }
  throw new Error('truncated varint');
}

function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    const no = Math.floor(key / 8);
    const wire = key % 8;
    if (no === 0) throw new Error('invalid field number 0');
    if (wire === WIRE_VARINT) {
      const [v, p2] = readVarint(buf, p1);
      fields.push({ no, varint: v });
      pos = p2;
    } else if (wire === WIRE_LEN) {
      const [len, p2] = readVarint(buf, p1);
      if (p2 + len > buf.length) throw new Error('truncated field');
      fields.push({ no, bytes: buf.subarray(p2, p2 + len) });
      pos = p2 + len;
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      pos = p1 + (wire === WIRE_FIXED64 ? 8 : 4);
      if (pos > buf.length) throw new Error('truncated fixed field');
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

const text = (b: Uint8Array | undefined): string => (b ? new TextDecoder('utf-8', { fatal: true }).decode(b) : '');

export function decodeGetMaxSeqReq(buf: Uint8Array): { userID: string } {
  const f = readFields(buf).find((x) => x.no === 1);
  return { userID: text(f?.bytes) };
}

export function decodeSetAppBackgroundStatusReq(buf: Uint8Array): { userID: string; isBackground: boolean } {
  const fields = readFields(buf);
  return {
    userID: text(fields.find((x) => x.no === 1)?.bytes),
    isBackground: (fields.find((x) => x.no === 2)?.varint ?? 0) !== 0,
  };
}
