/**
 * Version logs for incremental sync, as the real server keeps them in Mongo (version_log.go):
 * one document per key (a friend owner, a joining user, a group), with an ObjectID-like hex ID,
 * a version counter starting at 1, and the latest change of each element. Reading a key that
 * has no document creates an empty one, as the real server does.
 */
import { randomBytes } from 'node:crypto';

export const VersionState = { Insert: 1, Delete: 2, Update: 3 } as const;
export type VersionStateValue = (typeof VersionState)[keyof typeof VersionState];

/** Element IDs the real server logs for changes that are not about one element. */
export const VersionGroupChangeID = '';
export const VersionSortChangeID = '____S_O_R_T_I_D____';

const FIRST_VERSION = 1;
const DEFAULT_DELETE_VERSION = 0;

export interface VersionLogElem {
  eID: string;
  state: VersionStateValue;
  version: number;
}

export interface VersionLogView {
  id: string;
  version: number;
  /** Changes after the requested version (empty when they were not looked up or were too many). */
  logs: VersionLogElem[];
  /** How many changes there are after the requested version. */
  logLen: number;
}

interface VersionDoc {
  id: string;
  version: number;
  deleted: number;
  logs: Map<string, VersionLogElem>;
}

/** A Mongo ObjectID: 4 bytes of seconds, 5 random bytes fixed per process, a 3-byte counter. */
const OBJECT_ID_SECONDS_HEX = 8;
const OBJECT_ID_RANDOM_BYTES = 5;
const OBJECT_ID_COUNTER_BYTES = 3;
const OBJECT_ID_COUNTER_MODULO = 2 ** (8 * OBJECT_ID_COUNTER_BYTES);
const MS_PER_SECOND = 1000;
const OBJECT_ID_PATTERN = /^[0-9a-fA-F]{24}$/;
const ALL_ZERO_PATTERN = /^0+$/;

let objectIdCounter = randomBytes(OBJECT_ID_COUNTER_BYTES).readUIntBE(0, OBJECT_ID_COUNTER_BYTES);
const objectIdProcess = randomBytes(OBJECT_ID_RANDOM_BYTES).toString('hex');

/** A Mongo ObjectID-shaped hex string, as version log IDs are on the real server. */
export function newObjectID(nowMs: number): string {
  objectIdCounter = (objectIdCounter + 1) % OBJECT_ID_COUNTER_MODULO;
  const seconds = Math.floor(nowMs / MS_PER_SECOND).toString(16).padStart(OBJECT_ID_SECONDS_HEX, '0').slice(-OBJECT_ID_SECONDS_HEX);
  return seconds + objectIdProcess + objectIdCounter.toString(16).padStart(2 * OBJECT_ID_COUNTER_BYTES, '0');
}

/** What primitive.ObjectIDFromHex accepts, minus the zero ID (which the real check rejects). */
export function isValidObjectID(id: string): boolean {
  return OBJECT_ID_PATTERN.test(id) && !ALL_ZERO_PATTERN.test(id);
}

export class VersionLogStore {
  private readonly docs = new Map<string, VersionDoc>();

  constructor(private readonly now: () => number) {}

  /** Record that `eIDs` changed under `dID`; each write bumps the version by one. */
  incr(dID: string, eIDs: readonly string[], state: VersionStateValue): VersionLogView {
    const doc = this.docs.get(dID);
    if (doc === undefined) {
      const created: VersionDoc = { id: newObjectID(this.now()), version: FIRST_VERSION, deleted: DEFAULT_DELETE_VERSION, logs: new Map() };
      for (const eID of eIDs) created.logs.set(eID, { eID, state, version: FIRST_VERSION });
      this.docs.set(dID, created);
      return this.viewOf(created, eIDs);
    }
    doc.version += 1;
    for (const eID of eIDs) {
      doc.logs.delete(eID);
      doc.logs.set(eID, { eID, state, version: doc.version });
    }
    return this.viewOf(doc, eIDs);
  }

  /** The document's current version, without its logs (the real server's max-version cache). */
  max(dID: string): VersionLogView {
    const doc = this.ensure(dID);
    return { id: doc.id, version: doc.version, logs: [], logLen: 0 };
  }

  /**
   * Changes after `version`, as the real findChangeLog returns them: none when the document's
   * version is behind or its deletions reach past `version`; none (but logLen set) when there
   * are more than `limit`.
   */
  changesSince(dID: string, version: number, limit: number): VersionLogView {
    const doc = this.ensure(dID);
    if (version === 0 && limit === 0) return { id: doc.id, version: doc.version, logs: [], logLen: 0 };
    let logs = doc.version < version || doc.deleted >= version ? [] : [...doc.logs.values()];
    logs = logs.filter((l) => l.version > version);
    const logLen = logs.length;
    if (limit > 0 && logLen > limit) logs = [];
    return { id: doc.id, version: doc.version, logs: logs.map((l) => ({ ...l })), logLen };
  }

  /** The version at which `eID` last changed under `dID`, or 0. */
  elemVersion(dID: string, eID: string): number {
    return this.docs.get(dID)?.logs.get(eID)?.version ?? 0;
  }

  /** Forget a key (the real server deletes a group's member log when the group goes). */
  drop(dID: string): void {
    this.docs.delete(dID);
  }

  private ensure(dID: string): VersionDoc {
    let doc = this.docs.get(dID);
    if (doc === undefined) {
      doc = { id: newObjectID(this.now()), version: FIRST_VERSION, deleted: DEFAULT_DELETE_VERSION, logs: new Map() };
      this.docs.set(dID, doc);
    }
    return doc;
  }

  private viewOf(doc: VersionDoc, eIDs: readonly string[]): VersionLogView {
    const logs = eIDs.map((eID) => ({ eID, state: doc.logs.get(eID)!.state, version: doc.version }));
    return { id: doc.id, version: doc.version, logs, logLen: logs.length };
  }
}
