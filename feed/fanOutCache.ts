/**
 * A message that reaches many app instances of this process (a group message, once per
 * member's upstream session) is converted and encoded once, not once per member. Each member's
 * client SDK hands over its own copy of the message, with whatever it sets per recipient
 * (isRead, status, attachedInfoElem, names from its own cache, what the SDK-core rules change):
 * a member's copy is shared only when it is deep-equal to the one converted, field by field, so
 * anything recipient-specific means a frame of its own. The shared converted data is frozen, and
 * its encodings (`SharedEncodings`, filled by the gate's codecs the first time) belong to it.
 *
 * Only relays whose conversion is a pure function of the message take part (SHAREABLE_EVENTS).
 * A message list is remembered at its first sighting by its identity (clientMsgID, seq,
 * sendTime of each message) and copied at its second, so one-to-one messages cost a map entry.
 */
import type { EventRelay } from '../core_func/events';
import type { SharedEncodings } from './frame';

/** Upstream events whose relays convert the message list alone (core_func/shapes/message.ts). */
export const SHAREABLE_EVENTS: ReadonlySet<string> = new Set(['OnRecvNewMessage', 'OnRecvNewMessages']);

interface Shared {
  /** A frozen copy of the upstream data it was converted from. */
  readonly input: unknown;
  /** The frozen converted data every equal copy is sent as. */
  readonly data: unknown;
  readonly encodings: SharedEncodings;
}

export interface Converted {
  readonly data: unknown;
  /** Present when `data` is shared with other recipients of the same message. */
  readonly encodings?: SharedEncodings;
}

export class FanOutCache {
  /** null: seen once; a Shared: seen twice or more. Oldest first (insertion order). */
  private readonly entries = new Map<string, Shared | null>();

  /** `maxEntries` messages remembered at once (0: nothing shared). */
  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  convert(relay: EventRelay, upstreamEvent: string, data: unknown): Converted {
    if (this.maxEntries <= 0 || !SHAREABLE_EVENTS.has(upstreamEvent)) return { data: relay.convert(data) };
    const id = identity(data);
    if (id === undefined) return { data: relay.convert(data) };
    const key = `${relay.event}\n${id}`;
    const known = this.entries.get(key);
    if (known === undefined) {
      this.remember(key, null);
      return { data: relay.convert(data) };
    }
    if (known === null) {
      const input = frozenCopy(data);
      if (input === undefined) return { data: relay.convert(data) };
      const shared: Shared = { input, data: deepFreeze(relay.convert(input)), encodings: {} };
      this.remember(key, shared);
      return { data: shared.data, encodings: shared.encodings };
    }
    if (deepEqual(data, known.input)) return { data: known.data, encodings: known.encodings };
    return { data: relay.convert(data) };
  }

  private remember(key: string, value: Shared | null): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** clientMsgID, seq and sendTime of each message, or undefined when the data is not a message (list). */
function identity(data: unknown): string | undefined {
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0) return undefined;
  const parts: string[] = [];
  for (const m of list) {
    if (!isPlainObject(m) || typeof m.clientMsgID !== 'string' || m.clientMsgID === '') return undefined;
    parts.push(`${m.clientMsgID}:${String(m.seq)}:${String(m.sendTime)}`);
  }
  return parts.join(',');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of plain JSON-like data, frozen; undefined when it holds anything else (then nothing is shared). */
function frozenCopy(v: unknown): unknown {
  const NOT_PLAIN = Symbol('not plain');
  const copy = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint' ? NOT_PLAIN : x;
    if (Array.isArray(x)) {
      const out: unknown[] = [];
      for (const item of x) {
        const c = copy(item);
        if (c === NOT_PLAIN) return NOT_PLAIN;
        out.push(c);
      }
      return Object.freeze(out);
    }
    if (!isPlainObject(x)) return NOT_PLAIN;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const c = copy(x[k]);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out[k] = c;
    }
    return Object.freeze(out);
  };
  const c = copy(v);
  return c === NOT_PLAIN ? undefined : c;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Same JSON-like value: same keys (own, enumerable; an absent key differs from one set to
 * undefined), same values, recursively. A value that is not plain data never equals a copy.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
  }
  return true;
}
