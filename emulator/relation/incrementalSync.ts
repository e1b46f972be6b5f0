/**
 * The real server's incremental-sync answer (internal/rpc/incrversion/option.go): compare the
 * client's (versionID, version) with the log and answer either "full" (re-fetch everything),
 * "equal" (nothing changed) or the inserted, updated and deleted element IDs since then.
 */
import { isValidObjectID, VersionLogStore, VersionLogView, VersionSortChangeID, VersionGroupChangeID, VersionState } from './versionLog';

/** The real server refuses to list more changes than this and answers "full" instead. */
export const SYNC_LIMIT = 200;

export interface IncrementalResult {
  versionID: string;
  version: number;
  full: boolean;
  insertIDs: string[];
  updateIDs: string[];
  deleteIDs: string[];
  sortVersion: number;
  /** A change to the container itself (the group) was logged, or any member changed. */
  hasGroupUpdate: boolean;
}

export function incrementalChanges(
  store: VersionLogStore,
  key: string,
  clientVersionID: string,
  clientVersion: number,
): IncrementalResult {
  const cached = store.max(key);
  const valid = isValidObjectID(clientVersionID) && clientVersion > 0;
  let log: VersionLogView;
  let full: boolean;
  if (!valid || clientVersionID !== cached.id) {
    log = cached;
    full = true;
  } else if (clientVersion === cached.version) {
    log = cached;
    full = false;
  } else {
    log = store.changesSince(key, clientVersion, SYNC_LIMIT);
    full = false;
  }
  let sortVersion = 0;
  let hasGroupUpdate = false;
  let logLen = log.logLen;
  const elems = log.logs.filter((l) => {
    if (l.eID === VersionSortChangeID) {
      logLen -= 1;
      sortVersion = l.version;
      return false;
    }
    if (l.eID === VersionGroupChangeID) {
      logLen -= 1;
      hasGroupUpdate = true;
      return false;
    }
    return true;
  });
  if (logLen > 0) hasGroupUpdate = true;
  if (log !== cached) {
    full = log.id !== clientVersionID || log.version < clientVersion || elems.length !== logLen;
  }
  const result: IncrementalResult = {
    versionID: log.id,
    version: log.version,
    full,
    insertIDs: [],
    updateIDs: [],
    deleteIDs: [],
    sortVersion,
    hasGroupUpdate,
  };
  if (!full) {
    for (const l of elems) {
      if (l.state === VersionState.Insert) result.insertIDs.push(l.eID);
      else if (l.state === VersionState.Delete) result.deleteIDs.push(l.eID);
      else result.updateIDs.push(l.eID);
    }
  }
  return result;
}
