/**
 * The real server's error codes (open-im-server pkg/common/servererrs and openimsdk/tools errs).
 * errMsg is the code's name, as the real server sends it; errDlt carries our detail.
 */
import { ApiError } from '../api/contract';

export const ErrCode = {
  ServerInternal: 500,
  Args: 1001,
  NoPermission: 1002,
  DuplicateKey: 1003,
  RecordNotFound: 1004,
  UserIDNotFound: 1101,
  GroupIDNotFound: 1201,
  GroupIDExisted: 1202,
  NotInGroupYet: 1203,
  DismissedAlready: 1204,
  GroupRequestHandled: 1206,
  CanNotAddYourself: 1301,
  BlockedByPeer: 1302,
  NotPeersFriend: 1303,
  RelationshipAlready: 1304,
  FriendRequestHandled: 1305,
} as const;

const ErrName: Record<number, string> = {
  500: 'ServerInternalError',
  1001: 'ArgsError',
  1002: 'NoPermissionError',
  1003: 'DuplicateKeyError',
  1004: 'RecordNotFoundError',
  1101: 'UserIDNotFoundError',
  1201: 'GroupIDNotFoundError',
  1202: 'GroupIDExisted',
  1203: 'NotInGroupYetError',
  1204: 'DismissedAlreadyError',
  1206: 'GroupRequestHandled',
  1301: 'CanNotAddYourselfError',
  1302: 'BlockedByPeer',
  1303: 'NotPeersFriend',
  1304: 'RelationshipAlreadyError',
  1305: 'FriendRequestHandled',
};

export function apiError(code: number, detail = ''): ApiError {
  return new ApiError(code, ErrName[code] ?? 'UnknownError', detail);
}

export const argsError = (detail: string): ApiError => apiError(ErrCode.Args, detail);
export const noPermission = (detail: string): ApiError => apiError(ErrCode.NoPermission, detail);
export const recordNotFound = (detail: string): ApiError => apiError(ErrCode.RecordNotFound, detail);
