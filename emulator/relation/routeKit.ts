/** Helpers every route table of the relation and group domains uses. */
import type { ApiHandler, ApiRequest, RouteTable } from '../api/contract';
import { asObject, type Fields } from '../http/validate';
import { argsError } from './errors';

/** The protocol's ParamMaxLength: the most IDs one request may carry. */
export const PARAM_MAX_LENGTH = 1000;

/**
 * What a handler returns for a reply message that has no fields at all: the real API then
 * leaves `data` out of the envelope (apiresp's isAllFieldsPrivate).
 */
export const NO_FIELDS = undefined;

export type BodyHandler = (req: ApiRequest, body: Fields) => object | undefined | Promise<object | undefined>;

/** Register a handler (its reply is written by http/goJson.ts as the real server's JSON). */
export function route(table: RouteTable, path: string, handler: BodyHandler): void {
  const wrapped: ApiHandler = async (req) => {
    return handler(req, asObject(req.body));
  };
  if (table.has(path)) throw new Error(`duplicate emulator route ${path}`);
  table.set(path, wrapped);
}

/** The protocol's generated Check(): a failed precondition is an ArgsError. */
export function check(condition: boolean, message: string): void {
  if (!condition) throw argsError(message);
}
