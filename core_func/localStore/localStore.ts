/**
 * The bridge's local data, for the jssdk methods the OpenIM SDK core keeps in its per-user
 * SQLite database and the client SDK does not keep at all: local deletes and clears, locally
 * inserted messages, message localEx, drafts, hidden conversations. Kept in the state store
 * (state/), one partition per user, so users never see each other's data and a user's data
 * survives reconnects and restarts.
 */
import { keyParts, stateKey, userPartition, type StateOp, type StateStore } from '../../state/stateStore';

type Json = Record<string, unknown>;

export interface Draft {
  readonly draftText: string;
  readonly draftTextTime: number;
}

/** One user's view of the store. */
export interface UserLocalStore {
  markDeleted(conversationID: string, clientMsgID: string): Promise<void>;
  deletedIDs(conversationID: string): Promise<Set<string>>;
  /** Messages of the conversation sent at or before `time` are gone locally. */
  clearConversation(conversationID: string, time: number): Promise<void>;
  /** Every conversation's messages sent at or before `time` are gone locally. */
  clearAll(time: number): Promise<void>;
  /** The local clear time of a conversation (0: never cleared). */
  clearedAt(conversationID: string): Promise<number>;
  insertMessage(conversationID: string, message: Json): Promise<void>;
  insertedMessages(conversationID: string): Promise<Json[]>;
  /** Every inserted message, by conversation. */
  allInsertedMessages(): Promise<Map<string, Json[]>>;
  setLocalEx(conversationID: string, clientMsgID: string, localEx: string): Promise<void>;
  localExes(conversationID: string): Promise<Map<string, string>>;
  setDraft(conversationID: string, draft: Draft): Promise<void>;
  drafts(): Promise<Map<string, Draft>>;
  /** The conversation leaves the list until a message newer than `time` arrives. */
  hideConversation(conversationID: string, time: number): Promise<void>;
  hideAll(time: number): Promise<void>;
  /** When a conversation was hidden (0: never), the all-conversations hide included. */
  hiddenAt(conversationID: string): Promise<number>;
}

export interface LocalStore {
  /** The state store it keeps its data in (shared with the delivery cursors). */
  readonly state: StateStore;
  forUser(userID: string): UserLocalStore;
  close(): Promise<void>;
}

const ALL = '*';

class StateUserStore implements UserLocalStore {
  private readonly partition: string;

  constructor(private readonly store: StateStore, userID: string) {
    this.partition = userPartition(userID);
  }

  /** Entries under `kind/prefix…/`, with the rest of their key decoded. */
  private async scan(kind: string, ...prefix: string[]): Promise<Array<[string[], unknown]>> {
    const start = stateKey(kind, ...prefix) + '/';
    return (await this.store.scan(this.partition, start)).map(([k, v]) => [keyParts(k.slice(start.length)), v]);
  }

  private get(kind: string, ...parts: string[]): Promise<unknown> {
    return this.store.get(this.partition, stateKey(kind, ...parts));
  }

  private put(kind: string, parts: string[], value: unknown): Promise<void> {
    return this.store.batch(this.partition, [{ type: 'put', key: stateKey(kind, ...parts), value }]);
  }

  private async number(kind: string, ...parts: string[]): Promise<number> {
    const v = await this.get(kind, ...parts);
    return typeof v === 'number' ? v : 0;
  }

  async markDeleted(conversationID: string, clientMsgID: string): Promise<void> {
    await this.store.batch(this.partition, [
      { type: 'put', key: stateKey('del', conversationID, clientMsgID), value: 1 },
      { type: 'del', key: stateKey('ins', conversationID, clientMsgID) },
    ]);
  }

  async deletedIDs(conversationID: string): Promise<Set<string>> {
    return new Set((await this.scan('del', conversationID)).map(([[id]]) => id ?? ''));
  }

  async clearConversation(conversationID: string, time: number): Promise<void> {
    const inserted = await this.scan('ins', conversationID);
    await this.store.batch(this.partition, [
      { type: 'put', key: stateKey('clear', conversationID), value: time },
      ...inserted.map(([[id]]): StateOp => ({ type: 'del', key: stateKey('ins', conversationID, id ?? '') })),
    ]);
  }

  async clearAll(time: number): Promise<void> {
    const inserted = await this.scan('ins');
    await this.store.batch(this.partition, [
      { type: 'put', key: stateKey('clear', ALL), value: time },
      ...inserted.map(([parts]): StateOp => ({ type: 'del', key: stateKey('ins', ...parts) })),
    ]);
  }

  async clearedAt(conversationID: string): Promise<number> {
    return Math.max(await this.number('clear', conversationID), await this.number('clear', ALL));
  }

  insertMessage(conversationID: string, message: Json): Promise<void> {
    return this.put('ins', [conversationID, String(message.clientMsgID)], message);
  }

  async insertedMessages(conversationID: string): Promise<Json[]> {
    return (await this.scan('ins', conversationID)).map(([, v]) => v as Json);
  }

  async allInsertedMessages(): Promise<Map<string, Json[]>> {
    const out = new Map<string, Json[]>();
    for (const [[conversationID = ''], v] of await this.scan('ins')) {
      const list = out.get(conversationID) ?? [];
      list.push(v as Json);
      out.set(conversationID, list);
    }
    return out;
  }

  async setLocalEx(conversationID: string, clientMsgID: string, localEx: string): Promise<void> {
    const inserted = await this.get('ins', conversationID, clientMsgID);
    const ops: StateOp[] = [{ type: 'put', key: stateKey('lex', conversationID, clientMsgID), value: localEx }];
    if (inserted) ops.push({ type: 'put', key: stateKey('ins', conversationID, clientMsgID), value: { ...(inserted as Json), localEx } });
    await this.store.batch(this.partition, ops);
  }

  async localExes(conversationID: string): Promise<Map<string, string>> {
    return new Map((await this.scan('lex', conversationID)).map(([[id], v]) => [id ?? '', String(v)]));
  }

  setDraft(conversationID: string, draft: Draft): Promise<void> {
    return this.put('draft', [conversationID], draft);
  }

  async drafts(): Promise<Map<string, Draft>> {
    return new Map((await this.scan('draft')).map(([[id], v]) => [id ?? '', v as Draft]));
  }

  hideConversation(conversationID: string, time: number): Promise<void> {
    return this.put('hide', [conversationID], time);
  }

  hideAll(time: number): Promise<void> {
    return this.put('hide', [ALL], time);
  }

  async hiddenAt(conversationID: string): Promise<number> {
    return Math.max(await this.number('hide', conversationID), await this.number('hide', ALL));
  }
}

/** The local store on top of a state store; closing it closes the state store. */
export function localStoreOn(store: StateStore): LocalStore {
  return {
    state: store,
    forUser: (userID) => new StateUserStore(store, userID),
    close: () => store.close(),
  };
}
