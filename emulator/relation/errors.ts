/** The friend and group domains use the emulator's one table of the real server's error codes. */
export { ErrCode, apiError, argsError, noPermission, recordNotFound } from '../errors';
