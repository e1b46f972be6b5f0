/**
 * The adapter table: the single source for dispatch, docs/API.md and the coverage test.
 * A Map, so a client-supplied method name can only ever find an entry declared here.
 */
import type { Adapter } from './adapter';
import { authAdapters } from './adapters/auth';
import { conversationAdapters } from './adapters/conversation';
import { friendAdapters } from './adapters/friend';
import { groupAdapters } from './adapters/group';
import { messageAdapters } from './adapters/message';
import { userAdapters } from './adapters/user';

export const ADAPTER_LIST: readonly Adapter[] = [
  ...authAdapters,
  ...userAdapters,
  ...friendAdapters,
  ...groupAdapters,
  ...messageAdapters,
  ...conversationAdapters,
];

function buildTable(list: readonly Adapter[]): ReadonlyMap<string, Adapter> {
  const table = new Map<string, Adapter>();
  for (const a of list) {
    if (table.has(a.method)) throw new Error(`adapter ${a.method} declared twice`);
    table.set(a.method, a);
  }
  return table;
}

export const ADAPTERS: ReadonlyMap<string, Adapter> = buildTable(ADAPTER_LIST);
