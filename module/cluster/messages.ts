/**
 * What a cluster's primary and its workers say to each other over the IPC channel. Sockets
 * travel as the channel's handle next to a `connection` message.
 */
import type { SessionCounts } from '../httpEndpoints';
import type { AdminSessionView } from '../adminApi';

/** Environment a worker is started with. */
export const WORKER_INDEX_ENV = 'BRIDGE_WORKER_INDEX';
/** The upstream the primary resolved (e.g. its embedded emulator), as JSON. */
export const WORKER_UPSTREAM_ENV = 'BRIDGE_WORKER_UPSTREAM';

export type Question =
  | { what: 'counts' }
  | { what: 'metrics' }
  | { what: 'sessionsOf'; userID: string }
  | { what: 'adminSessions'; userID: string }
  | { what: 'kick'; userID: string; platformID?: number };

export type ToWorker =
  | { type: 'connection'; transport: 'http' | 'tcp'; bytes: string }
  | { type: 'ask'; id: number; question: Question }
  | { type: 'shutdown'; graceMs: number };

export type Answer = SessionCounts | unknown[] | AdminSessionView[] | number;

export type ToPrimary = { type: 'ready' } | { type: 'answer'; id: number; value: Answer };

function hasType(m: unknown): boolean {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

export function isToWorker(m: unknown): m is ToWorker {
  return hasType(m);
}

export function isToPrimary(m: unknown): m is ToPrimary {
  return hasType(m);
}
