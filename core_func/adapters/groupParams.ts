/**
 * The group methods' object parameters (open-im-sdk 3.5.2 `types/params.ts`) and their field
 * checks; a failed check is an ArgError (errCode 10001) naming the field.
 */
import { BridgeError, ErrorCode } from '../../common/errors';

type Json = Record<string, unknown>;

/** An argument problem found after decoding, answered like a decoding one (10001). */
export function argsError(message: string): BridgeError {
  return new BridgeError(ErrorCode.ArgsError, message);
}
type Check = (o: Json) => string | undefined;

function all(...checks: Check[]): Check {
  return (o) => {
    for (const c of checks) {
      const problem = c(o);
      if (problem) return problem;
    }
    return undefined;
  };
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function typed(name: string, what: string, ok: (v: unknown) => boolean, optional: boolean): Check {
  return (o) => ((optional && (o[name] === undefined || o[name] === null)) || ok(o[name]) ? undefined : `field ${name} must be ${what}`);
}

const str = (name: string, optional = false) => typed(name, 'a string', (v) => typeof v === 'string', optional);
const num = (name: string, optional = false) => typed(name, 'a finite number', (v) => typeof v === 'number' && Number.isFinite(v), optional);
const bool = (name: string) => typed(name, 'a boolean', (v) => typeof v === 'boolean', false);
const strList = (name: string, optional = false) => typed(name, 'an array of strings', isStringList, optional);
const obj = (name: string) => typed(name, 'an object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), false);

export interface CreateGroupParams extends Json {
  memberUserIDs: string[];
  groupInfo: Json;
  adminUserIDs?: string[];
  ownerUserID?: string;
}
export const checkCreateGroup = all(strList('memberUserIDs'), obj('groupInfo'), strList('adminUserIDs', true), str('ownerUserID', true));

export interface SearchGroupParams extends Json {
  keywordList: string[];
  isSearchGroupID: boolean;
  isSearchGroupName: boolean;
}
export const checkSearchGroups = all(strList('keywordList'), bool('isSearchGroupID'), bool('isSearchGroupName'));

/** The GroupItem fields SetGroupInfo may change, with the type each must have. */
export const SETTABLE_GROUP_FIELDS = {
  groupName: 'string',
  notification: 'string',
  introduction: 'string',
  faceURL: 'string',
  ex: 'string',
  needVerification: 'number',
  lookMemberInfo: 'number',
  applyMemberFriend: 'number',
} as const;

export interface SetGroupInfoParams extends Json {
  groupID: string;
}
export const checkSetGroupInfo = all(
  str('groupID'),
  ...Object.entries(SETTABLE_GROUP_FIELDS).map(([k, t]) => (t === 'string' ? str(k, true) : num(k, true))),
);

export interface SearchGroupMemberParams extends Json {
  groupID: string;
  keywordList: string[];
  isSearchUserID: boolean;
  isSearchMemberNickname: boolean;
  offset: number;
  count: number;
}
export const checkSearchGroupMembers = all(str('groupID'), strList('keywordList'), bool('isSearchUserID'), bool('isSearchMemberNickname'), num('offset'), num('count'));

/** The member fields SetGroupMemberInfo may change. */
export const SETTABLE_MEMBER_FIELDS = ['nickname', 'faceURL', 'roleLevel', 'ex'] as const;

export interface UpdateMemberInfoParams extends Json {
  groupID: string;
  userID: string;
}
export const checkSetGroupMemberInfo = all(str('groupID'), str('userID'), str('nickname', true), str('faceURL', true), num('roleLevel', true), str('ex', true));

/** Only the keys of `o` listed in `keys` whose value is present. */
export function pick(o: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}
