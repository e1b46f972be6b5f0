/**
 * The bridge's on-disk local data, for the jssdk methods the OpenIM SDK core keeps in its
 * per-user SQLite database and the client SDK does not keep at all: local deletes and
 * clears, locally inserted messages, message localEx, drafts, hidden conversations.
 * One LevelDB (classic-level) per process under `dataDir`; every key starts with the user ID,
 * so users never see each other's data and a user's data survives reconnects and restarts.
 */
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';

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
  forUser(userID: string): UserLocalStore;
  close(): Promise<void>;
}

const ALL = '*';

/** Key parts are URI-encoded so a `/` in an ID can never reach into another key range. */
function key(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

class LevelUserStore implements UserLocalStore {
  constructor(
    private readonly db: ClassicLevel<string, unknown>,
    private readonly userID: string,
  ) {}

  private k(kind: string, ...parts: string[]): string {
    return key(this.userID, kind, ...parts);
  }

  /** Entries under `kind/prefix…/`, with the rest of their key decoded. */
  private async scan(kind: string, ...prefix: string[]): Promise<Array<[string[], unknown]>> {
    const start = this.k(kind, ...prefix) + '/';
    const out: Array<[string[], unknown]> = [];
    for await (const [k, v] of this.db.iterator({ gte: start, lt: start + '\uffff' })) {
      out.push([k.slice(start.length).split('/').map(decodeURIComponent), v]);
    }
    return out;
  }

  private async number(k: string): Promise<number> {
    const v = await this.db.get(k);
    return typeof v === 'number' ? v : 0;
  }

  async markDeleted(conversationID: string, clientMsgID: string): Promise<void> {
    await this.db.batch([
      { type: 'put', key: this.k('del', conversationID, clientMsgID), value: 1 },
      { type: 'del', key: this.k('ins', conversationID, clientMsgID) },
    ]);
  }

  async deletedIDs(conversationID: string): Promise<Set<string>> {
    return new Set((await this.scan('del', conversationID)).map(([[id]]) => id ?? ''));
  }

  async clearConversation(conversationID: string, time: number): Promise<void> {
    const inserted = await this.scan('ins', conversationID);
    await this.db.batch([
      { type: 'put', key: this.k('clear', conversationID), value: time },
      ...inserted.map(([[id]]) => ({ type: 'del' as const, key: this.k('ins', conversationID, id ?? '') })),
    ]);
  }

  async clearAll(time: number): Promise<void> {
    const inserted = await this.scan('ins');
    await this.db.batch([
      { type: 'put', key: this.k('clear', ALL), value: time },
      ...inserted.map(([parts]) => ({ type: 'del' as const, key: this.k('ins', ...parts) })),
    ]);
  }

  async clearedAt(conversationID: string): Promise<number> {
    return Math.max(await this.number(this.k('clear', conversationID)), await this.number(this.k('clear', ALL)));
  }

  async insertMessage(conversationID: string, message: Json): Promise<void> {
    await this.db.put(this.k('ins', conversationID, String(message.clientMsgID)), message);
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
    await this.db.put(this.k('lex', conversationID, clientMsgID), localEx);
    const inserted = await this.db.get(this.k('ins', conversationID, clientMsgID));
    if (inserted) await this.db.put(this.k('ins', conversationID, clientMsgID), { ...(inserted as Json), localEx });
  }

  async localExes(conversationID: string): Promise<Map<string, string>> {
    return new Map((await this.scan('lex', conversationID)).map(([[id], v]) => [id ?? '', String(v)]));
  }

  async setDraft(conversationID: string, draft: Draft): Promise<void> {
    await this.db.put(this.k('draft', conversationID), draft);
  }

  async drafts(): Promise<Map<string, Draft>> {
    return new Map((await this.scan('draft')).map(([[id], v]) => [id ?? '', v as Draft]));
  }

  async hideConversation(conversationID: string, time: number): Promise<void> {
    await this.db.put(this.k('hide', conversationID), time);
  }

  async hideAll(time: number): Promise<void> {
    await this.db.put(this.k('hide', ALL), time);
  }

  async hiddenAt(conversationID: string): Promise<number> {
    return Math.max(await this.number(this.k('hide', conversationID)), await this.number(this.k('hide', ALL)));
  }
}

class LevelLocalStore implements LocalStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  forUser(userID: string): UserLocalStore {
    return new LevelUserStore(this.db, userID);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Opens (creating if needed) the store under `dataDir`; one process may hold it at a time. */
export async function openLocalStore(dataDir: string): Promise<LocalStore> {
  mkdirSync(dataDir, { recursive: true });
  const db = new ClassicLevel<string, unknown>(`${dataDir}/bridge-local.leveldb`, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot open the local data store in ${dataDir} (${cause}); each bridge process needs its own --openIMDbDir`);
  }
  return new LevelLocalStore(db);
}
