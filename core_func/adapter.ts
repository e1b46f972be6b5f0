/**
 * An adapter is one jssdk method: how its arguments arrive, what it needs, what it does.
 * The table of adapters (table.ts) is the only way a request reaches code.
 */
import type { UpstreamSession } from './upstream/upstreamSession';
import type { ArgSpec, DecodedArgs } from './args';
import type { LocalStore } from './localStore/localStore';

/** What an adapter may use; nothing here knows about sockets. */
export interface CallContext {
  readonly operationID: string;
  readonly userID: string;
  readonly platformID: number;
  /** The jssdk's LoginStatus: 1 logged out, 2 logging in, 3 logged in. */
  readonly loginStatus: number;
  /** Present once Login succeeded. */
  readonly upstream?: UpstreamSession;
  /** The bridge's on-disk local data (local deletes, inserts, drafts…); absent when not configured. */
  readonly localStore?: LocalStore;
}

/** A call made after Login succeeded. */
export type LoggedIn = CallContext & { readonly upstream: UpstreamSession };

/** `login` and `logout` change the session's lifecycle and are carried out by the session layer. */
export type AdapterKind = 'call' | 'login' | 'logout';

export interface Adapter {
  readonly method: string;
  readonly kind: AdapterKind;
  readonly args: readonly ArgSpec<unknown>[];
  readonly requiresLogin: boolean;
  /** One line for docs/API.md. */
  readonly summary: string;
  /** Where the behaviour differs from the OpenIM SDK core (documented in docs/API.md). */
  readonly difference?: string;
  /** How open-im-sdk 3.4.1 calls the method or reads its answer differently from 3.5.2 (documented in docs/API.md). */
  readonly releases?: string;
  run(ctx: CallContext, args: readonly unknown[]): Promise<unknown>;
}

interface AdapterDef<S extends readonly ArgSpec<unknown>[]> {
  readonly method: string;
  readonly kind?: AdapterKind;
  readonly args: S;
  readonly requiresLogin?: boolean;
  readonly summary: string;
  readonly difference?: string;
  readonly releases?: string;
  call(ctx: LoggedIn, args: DecodedArgs<S>): Promise<unknown>;
}

/** Declares an adapter; `args` are already decoded when `call` runs. Calls require login unless said otherwise. */
export function defineAdapter<const S extends readonly ArgSpec<unknown>[]>(def: AdapterDef<S>): Adapter {
  const requiresLogin = def.requiresLogin ?? true;
  return {
    method: def.method,
    kind: def.kind ?? 'call',
    args: def.args,
    requiresLogin,
    summary: def.summary,
    difference: def.difference,
    releases: def.releases,
    run(ctx, args) {
      return def.call(ctx as CallContext & { upstream: UpstreamSession }, args as DecodedArgs<S>);
    },
  };
}

/** A lifecycle method: the session layer runs it; the table only declares its arguments. */
export function defineLifecycle<const S extends readonly ArgSpec<unknown>[]>(def: {
  method: string;
  kind: 'login' | 'logout';
  args: S;
  summary: string;
  requiresLogin: boolean;
}): Adapter {
  return {
    ...def,
    run() {
      return Promise.reject(new Error(`${def.method} is carried out by the session layer`));
    },
  };
}
