/** The real server's error codes (pkg/common/servererrs/code.go) and the messages it sends with them. */
import { ApiError } from './api/contract';

export const ErrCode = {
  ServerInternal: 500,
  Args: 1001,
  NoPermission: 1002,
  DuplicateKey: 1003,
  RecordNotFound: 1004,
  UserIDNotFound: 1101,
  RegisteredAlready: 1102,
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
  MutedInGroup: 1402,
  MutedGroup: 1403,
  MsgAlreadyRevoke: 1404,
  TokenExpired: 1501,
  TokenInvalid: 1502,
  TokenMalformed: 1503,
  TokenNotValidYet: 1504,
  TokenUnknown: 1505,
  TokenKicked: 1506,
  TokenNotExist: 1507,
  ConnOverMaxNumLimit: 1601,
  ConnArgs: 1602,
} as const;

const NAMES: Record<number, string> = {
  500: 'ServerInternalError',
  1001: 'ArgsError',
  1002: 'NoPermissionError',
  1003: 'DuplicateKeyError',
  1004: 'RecordNotFoundError',
  1101: 'UserIDNotFoundError',
  1102: 'RegisteredAlreadyError',
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
  1402: 'MutedInGroup',
  1403: 'MutedGroup',
  1404: 'MsgAlreadyRevoke',
  1501: 'TokenExpiredError',
  1502: 'TokenInvalidError',
  1503: 'TokenMalformedError',
  1504: 'TokenNotValidYetError',
  1505: 'TokenUnknownError',
  1506: 'TokenKickedError',
  1507: 'TokenNotExistError',
  1601: 'ConnOverMaxNumLimit',
  1602: 'args err, need token, sendID, platformID',
};

/** An ApiError as the real server builds it: errMsg is the code's name, errDlt the detail. */
export function apiError(code: number, detail = ''): ApiError {
  return new ApiError(code, NAMES[code] ?? 'ServerInternalError', detail);
}

export const argsError = (detail: string): ApiError => apiError(ErrCode.Args, detail);
export const noPermission = (detail: string): ApiError => apiError(ErrCode.NoPermission, detail);
export const recordNotFound = (detail: string): ApiError => apiError(ErrCode.RecordNotFound, detail);
