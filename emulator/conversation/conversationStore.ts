/**
 * Each user's conversation records (the conversation rpc) with a version log, so
 * /conversation/get_incremental_conversations can answer incrementally like the real server.
 */
import { randomBytes } from 'node:crypto';

export interface ConversationRecord {
  ownerUserID: string;
  conversationID: string;
  recvMsgOpt: number;
  conversationType: number;
  userID: string;
  groupID: string;
  isPinned: boolean;
  attachedInfo: string;
  isPrivateChat: boolean;
  groupAtType: number;
  ex: string;
  burnDuration: number;
  minSeq: number;
  maxSeq: number;
  msgDestructTime: number;
  latestMsgDestructTime: number;
  isMsgDestruct: boolean;
}

export type ConversationPatch = Partial<
  Pick<ConversationRecord, 'recvMsgOpt' | 'isPinned' | 'attachedInfo' | 'isPrivateChat' | 'groupAtType' | 'ex' | 'burnDuration' | 'minSeq' | 'maxSeq' | 'msgDestructTime' | 'isMsgDestruct'>
>;

/** database.FirstVersion */
const FIRST_VERSION = 1;
/** incrversion syncLimit: more changes than this since the client's version mean a full sync. */
const SYNC_LIMIT = 200;

/** The version log keeps one entry per conversation: the last change wins (mgo version_log). */
type LogState = 'insert' | 'update';

interface OwnerState {
  versionID: string;
  version: number;
  records: Map<string, { record: ConversationRecord; state: LogState; version: number; createTime: number }>;
  deleted: Map<string, number>;
}

export interface IncrementalResult {
  version: number;
  versionID: string;
  full: boolean;
  delete: string[];
  insert: ConversationRecord[];
  update: ConversationRecord[];
}

export class ConversationStore {
  private readonly owners = new Map<string, OwnerState>();

  constructor(private readonly now: () => number = Date.now) {}

  get(ownerUserID: string, conversationID: string): ConversationRecord | undefined {
    return this.owners.get(ownerUserID)?.records.get(conversationID)?.record;
  }

  list(ownerUserID: string): ConversationRecord[] {
    return [...(this.owners.get(ownerUserID)?.records.values() ?? [])].map((e) => e.record);
  }

  /** GetConversationsByConversationIDs: every owner's record of these conversations. */
  recordsOf(conversationIDs: readonly string[]): ConversationRecord[] {
    const wanted = new Set(conversationIDs);
    return [...this.owners.values()].flatMap((o) => [...o.records.values()].filter((e) => wanted.has(e.record.conversationID)).map((e) => e.record));
  }

  /** The model's create_time (milliseconds; not part of the protocol's Conversation), 0 when missing. */
  createTime(ownerUserID: string, conversationID: string): number {
    return this.owners.get(ownerUserID)?.records.get(conversationID)?.createTime ?? 0;
  }

  /** Creates the record when missing; returns true when it was created. */
  ensure(ownerUserID: string, conversationID: string, conversationType: number, userID: string, groupID: string): boolean {
    if (this.owners.get(ownerUserID)?.records.has(conversationID)) return false;
    const state = this.stateForChange(ownerUserID);
    const record: ConversationRecord = {
      ownerUserID,
      conversationID,
      recvMsgOpt: 0,
      conversationType,
      userID,
      groupID,
      isPinned: false,
      attachedInfo: '',
      isPrivateChat: false,
      groupAtType: 0,
      ex: '',
      burnDuration: 0,
      minSeq: 0,
      maxSeq: 0,
      msgDestructTime: 0,
      latestMsgDestructTime: 0,
      isMsgDestruct: false,
    };
    state.records.set(conversationID, { record, state: 'insert', version: state.version, createTime: this.now() });
    state.deleted.delete(conversationID);
    return true;
  }

  update(ownerUserID: string, conversationID: string, patch: ConversationPatch): ConversationRecord | undefined {
    const entry = this.owners.get(ownerUserID)?.records.get(conversationID);
    if (!entry) return undefined;
    const state = this.stateForChange(ownerUserID);
    entry.record = { ...entry.record, ...patch };
    entry.state = 'update';
    entry.version = state.version;
    return entry.record;
  }

  /**
   * incrversion Option.Build: a full answer (no lists; the client fetches everything another way)
   * when the versionID is not ours, the version is not positive or ahead of ours, or more than
   * SYNC_LIMIT entries changed; otherwise the entries changed since `version`.
   */
  incremental(ownerUserID: string, version: number, versionID: string): IncrementalResult {
    const state = this.state(ownerUserID);
    const changed = [...state.records.values()].filter((e) => e.version > version);
    const deleted = [...state.deleted.entries()].filter(([, v]) => v > version).map(([id]) => id);
    const full = versionID !== state.versionID || version <= 0 || version > state.version || changed.length + deleted.length > SYNC_LIMIT;
    if (full) return { version: state.version, versionID: state.versionID, full: true, delete: [], insert: [], update: [] };
    return {
      version: state.version,
      versionID: state.versionID,
      full: false,
      delete: deleted,
      insert: changed.filter((e) => e.state === 'insert').map((e) => e.record),
      update: changed.filter((e) => e.state === 'update').map((e) => e.record),
    };
  }

  /** The version document, created at FirstVersion (1) on first use, as the mgo version log does. */
  private state(ownerUserID: string): OwnerState {
    let s = this.owners.get(ownerUserID);
    if (!s) {
      s = { versionID: randomBytes(12).toString('hex'), version: FIRST_VERSION, records: new Map(), deleted: new Map() };
      this.owners.set(ownerUserID, s);
    }
    return s;
  }

  /** A change bumps the version, except the one that creates the document (initDoc logs it at version 1). */
  private stateForChange(ownerUserID: string): OwnerState {
    const existing = this.owners.get(ownerUserID);
    if (!existing) return this.state(ownerUserID);
    existing.version += 1;
    return existing;
  }
}
