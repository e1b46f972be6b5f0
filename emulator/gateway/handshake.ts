/** The query arguments of a gateway upgrade, checked in the order UserConnContext.ParseEssentialArgs does. */
import type { ApiError } from '../api/contract';
import { apiError, ErrCode } from '../errors';

export interface ConnArgs {
  token: string;
  sendID: string;
  platformID: number;
  operationID: string;
  isBackground: boolean;
  sendResponse: boolean;
}

/** strconv.ParseBool */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** `sendResponse` tells whether the error may be written after an upgrade (isMsgResp parsed before the error). */
export type ArgsResult = { ok: true; args: ConnArgs } | { ok: false; error: ApiError; sendResponse: boolean };

export function parseConnArgs(query: URLSearchParams): ArgsResult {
  const platformText = query.get('platformID') ?? '';
  if (!/^[+-]?\d+$/.test(platformText)) return { ok: false, error: apiError(ErrCode.ConnArgs, 'platformID is not int'), sendResponse: false };
  const platformID = Number(platformText);
  let sendResponse = false;
  const respText = query.get('isMsgResp') ?? '';
  if (respText !== '') {
    const b = parseGoBool(respText);
    if (b === undefined) return { ok: false, error: apiError(ErrCode.ConnArgs, 'isMsgResp is not bool'), sendResponse: false };
    sendResponse = b;
  }
  const background = parseGoBool(query.get('isBackground') ?? '');
  if (background === undefined) {
    return { ok: false, error: apiError(ErrCode.ServerInternal, 'strconv.ParseBool: parsing isBackground: invalid syntax'), sendResponse };
  }
  const token = query.get('token') ?? '';
  const sendID = query.get('sendID') ?? '';
  if (token === '' || sendID === '') return { ok: false, error: apiError(ErrCode.ConnArgs, 'token or sendID is empty'), sendResponse };
  return { ok: true, args: { token, sendID, platformID, operationID: query.get('operationID') ?? '', isBackground: background, sendResponse } };
}
