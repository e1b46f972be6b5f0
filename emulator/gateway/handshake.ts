/**
 * The query arguments of a gateway upgrade, checked as internal/msggateway/context.go does
 * in the release the profile names (ParseEssentialArgs up to v3.8.3, parseByQuery + checkInfo
 * from v3.8.3-patch.14).
 */
import type { ApiError } from '../api/contract';
import { apiError, ErrCode } from '../errors';
import type { EmulatorProfile } from '../profile';

export interface ConnArgs {
  token: string;
  sendID: string;
  platformID: number;
  operationID: string;
  isBackground: boolean;
  /** isMsgResp: the handshake's outcome is written after the upgrade (ShouldSendResp). */
  sendResponse: boolean;
}

/** strconv.ParseBool */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** strconv.Atoi on a decimal int (sign allowed). */
function parseGoInt(v: string): number | undefined {
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** constant.PlatformID2Name (protocol/constant): iOS 1 … iPad 9, Admin 10. */
const KNOWN_PLATFORMS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
const SDK_TYPES = new Set(['', 'go', 'js']);

/**
 * A failed parse is always answered over plain HTTP: before patch.14 wsHandler calls httpError
 * for it, from patch.14 ShouldSendResp reads the parsed info that a failed parse never sets.
 */
export type ArgsResult = { ok: true; args: ConnArgs } | { ok: false; error: ApiError };

const connArgs = (detail: string): { ok: false; error: ApiError } => ({ ok: false, error: apiError(ErrCode.ConnArgs, detail) });

export function parseConnArgs(query: URLSearchParams, rules: EmulatorProfile['connArgRules']): ArgsResult {
  return rules === 'patch.14' ? parseByQuery(query) : parseEssentialArgs(query, rules);
}

/** context.go ParseEssentialArgs (v3.8.0, v3.8.3) with ShouldSendResp / GetBackground. */
function parseEssentialArgs(query: URLSearchParams, rules: 'v3.8.0' | 'v3.8.3'): ArgsResult {
  if (!query.has('token')) return connArgs('token is empty');
  if (!query.has('sendID')) return connArgs('sendID is empty');
  if (!query.has('platformID')) return connArgs('platformID is empty');
  const platformID = parseGoInt(query.get('platformID') ?? '');
  if (platformID === undefined) return connArgs('platformID is not int');
  if (rules === 'v3.8.3' && !SDK_TYPES.has(query.get('sdkType') ?? '')) return connArgs('sdkType is not go or js');
  return {
    ok: true,
    args: {
      token: query.get('token') ?? '',
      sendID: query.get('sendID') ?? '',
      platformID,
      operationID: query.get('operationID') ?? '',
      isBackground: parseGoBool(query.get('isBackground') ?? '') ?? false,
      sendResponse: parseGoBool(query.get('isMsgResp') ?? '') ?? false,
    },
  };
}

/** context.go parseByQuery + checkInfo (v3.8.3-patch.14 and later). */
function parseByQuery(query: URLSearchParams): ArgsResult {
  const platformID = parseGoInt(query.get('platformID') ?? '');
  if (platformID === undefined) return connArgs('platformID is not int');
  let sendResponse = false;
  const respText = query.get('isMsgResp') ?? '';
  if (respText !== '') {
    const b = parseGoBool(respText);
    if (b === undefined) return connArgs('isMsgResp is not bool');
    sendResponse = b;
  }
  const bgText = query.get('isBackground') ?? '';
  const isBackground = parseGoBool(bgText);
  // The raw strconv error is returned: the api layer's ParseError makes it a 500.
  if (isBackground === undefined) return { ok: false, error: apiError(ErrCode.ServerInternal, `strconv.ParseBool: parsing ${JSON.stringify(bgText)}: invalid syntax`) };
  const operationID = query.get('operationID') ?? '';
  const token = query.get('token') ?? '';
  const sendID = query.get('sendID') ?? '';
  if (operationID === '') return connArgs('operationID is empty');
  if (token === '') return connArgs('token is empty');
  if (sendID === '') return connArgs('sendID is empty');
  if (!KNOWN_PLATFORMS.has(platformID)) return connArgs('platformID is invalid');
  if (!SDK_TYPES.has(query.get('sdkType') ?? '')) return connArgs('sdkType is invalid');
  return { ok: true, args: { token, sendID, platformID, operationID, isBackground, sendResponse } };
}
