/**
 * Argument decoders: each jssdk method's `data` array, decoded position by position.
 * The jssdk JSON-encodes object arguments a second time (`[JSON.stringify(params)]`),
 * so object decoders accept a JSON string (and, for lenient clients, the object itself).
 * A decoder throws ArgError naming the argument; the session answers errCode 10001.
 */
export class ArgError extends Error {}

export interface ArgSpec<T> {
  readonly name: string;
  /** Shown in docs/API.md. */
  readonly type: string;
  readonly optional: boolean;
  decode(raw: unknown): T;
}

function spec<T>(name: string, type: string, decode: (raw: unknown) => T, optional = false): ArgSpec<T> {
  return { name, type, optional, decode };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function expect(name: string, what: string, v: unknown): never {
  throw new ArgError(`argument ${name} must be ${what}, got ${describe(v)}`);
}

export const MAX_ARG_JSON_DEPTH = 64;

function depth(v: unknown, limit: number): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (limit <= 0) return Infinity;
  let max = 0;
  for (const child of Object.values(v)) max = Math.max(max, depth(child, limit - 1));
  return max + 1;
}

function parseJsonArg(name: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ArgError(`argument ${name} must be a JSON string, got unparseable text`);
  }
}

export const arg = {
  string(name: string): ArgSpec<string> {
    return spec(name, 'string', (v) => (typeof v === 'string' ? v : expect(name, 'a string', v)));
  },
  /** A string the jssdk may leave out (it sends `undefined` → null or nothing). */
  optionalString(name: string): ArgSpec<string> {
    return spec(name, 'string?', (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : expect(name, 'a string', v)), true);
  },
  number(name: string): ArgSpec<number> {
    return spec(name, 'number', (v) => (typeof v === 'number' && Number.isFinite(v) ? v : expect(name, 'a finite number', v)));
  },
  boolean(name: string): ArgSpec<boolean> {
    return spec(name, 'boolean', (v) => (typeof v === 'boolean' ? v : expect(name, 'a boolean', v)));
  },
  optionalBoolean(name: string, fallback: boolean): ArgSpec<boolean> {
    return spec(name, 'boolean?', (v) => (v === undefined || v === null ? fallback : typeof v === 'boolean' ? v : expect(name, 'a boolean', v)), true);
  },
  /** A JSON-encoded object (or the object itself). */
  object<T extends Record<string, unknown> = Record<string, unknown>>(name: string, validate?: (o: Record<string, unknown>) => string | undefined): ArgSpec<T> {
    return spec(name, 'object (JSON)', (raw) => {
      const v = parseJsonArg(name, raw);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) expect(name, 'a JSON object', v);
      if (depth(v, MAX_ARG_JSON_DEPTH) > MAX_ARG_JSON_DEPTH) throw new ArgError(`argument ${name} is nested too deeply`);
      const problem = validate?.(v as Record<string, unknown>);
      if (problem) throw new ArgError(`argument ${name}: ${problem}`);
      return v as T;
    });
  },
  /** A JSON-encoded object the jssdk may leave out (`JSON.stringify(undefined)`). */
  optionalObject<T extends Record<string, unknown> = Record<string, unknown>>(name: string): ArgSpec<T | undefined> {
    const inner = arg.object<T>(name);
    return spec(name, 'object (JSON)?', (raw) => (raw === undefined || raw === null || raw === '' ? undefined : inner.decode(raw)), true);
  },
  /** A JSON-encoded array of objects (or the array itself); `optional`: null / '' / absent is []. */
  objectList<T extends Record<string, unknown> = Record<string, unknown>>(name: string, optional = false): ArgSpec<T[]> {
    return spec(name, optional ? 'object[] (JSON)?' : 'object[] (JSON)', (raw) => {
      if (optional && (raw === undefined || raw === null || raw === '')) return [];
      const v = parseJsonArg(name, raw);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) expect(name, 'a JSON array of objects', v);
      if (depth(v, MAX_ARG_JSON_DEPTH) > MAX_ARG_JSON_DEPTH) throw new ArgError(`argument ${name} is nested too deeply`);
      return v as T[];
    }, optional);
  },
  /** A JSON-encoded array of strings (or the array itself). */
  stringList(name: string): ArgSpec<string[]> {
    return spec(name, 'string[] (JSON)', (raw) => {
      const v = parseJsonArg(name, raw);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) expect(name, 'a JSON array of strings', v);
      return v as string[];
    });
  },
} as const;

/** Field checks for object arguments: returns a problem description or undefined. */
export const fields = {
  strings:
    (...names: string[]) =>
    (o: Record<string, unknown>): string | undefined => {
      for (const n of names) if (typeof o[n] !== 'string') return `field ${n} must be a string`;
      return undefined;
    },
};

export type DecodedArgs<S extends readonly ArgSpec<unknown>[]> = { -readonly [K in keyof S]: S[K] extends ArgSpec<infer T> ? T : never };

/** Decodes `raw` against `specs`; extra trailing arguments are an error, missing optional ones are filled. */
export function decodeArgs<S extends readonly ArgSpec<unknown>[]>(specs: S, raw: readonly unknown[]): DecodedArgs<S> {
  if (raw.length > specs.length) throw new ArgError(`expected at most ${specs.length} argument(s), got ${raw.length}`);
  return specs.map((s, i) => {
    if (i >= raw.length && !s.optional) throw new ArgError(`missing argument ${s.name} (position ${i + 1} of ${specs.length})`);
    return s.decode(raw[i]);
  }) as DecodedArgs<S>;
}
