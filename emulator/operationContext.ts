/**
 * The operationID of the request being handled, like the real server's ctx: pushes and
 * notifications caused by a request carry its operationID (clients match on it).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

export function withOperationID<T>(operationID: string, fn: () => T): T {
  return storage.run(operationID, fn);
}

export function currentOperationID(): string {
  return storage.getStore() ?? '';
}
