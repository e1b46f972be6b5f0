/**
 * Invalidations: how one bridge instance tells the others that something they cache (a user's
 * profile) changed. With the embedded store there are no others and it does nothing; with Redis
 * it is one pub/sub channel (`<prefix>invalidations`) every instance subscribes to.
 *
 * Delivery is best effort (pub/sub keeps nothing for an instance that is disconnected): what a
 * missed message would have dropped still expires with the cache's own time to live.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export interface Invalidations {
  /** Tells every other instance that the profile of `userID` changed. */
  publish(userID: string): void;
  /** `handler` hears what the other instances publish. */
  subscribe(handler: (userID: string) => void): void;
  close(): Promise<void>;
}

/** One process, no peers. */
export const noInvalidations: Invalidations = {
  publish: () => undefined,
  subscribe: () => undefined,
  close: async () => undefined,
};

interface Notice {
  readonly from: string;
  readonly userID: string;
}

/**
 * The channel on Redis: publishes on `client` (a failed publish is reported, not retried) and
 * listens on a connection of its own (a subscribed connection can do nothing else), which
 * subscribes again by itself after a reconnect.
 */
export async function redisInvalidations(client: Redis, prefix: string, onPublishFailed: (err: Error) => void): Promise<Invalidations> {
  const channel = `${prefix}invalidations`;
  const self = randomUUID();
  // The subscriber may queue its SUBSCRIBE while (re)connecting: it sends nothing else.
  const subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResendUnfulfilledCommands: true });
  subscriber.on('error', () => undefined);
  const handlers: Array<(userID: string) => void> = [];
  subscriber.on('message', (ch: string, text: string) => {
    if (ch !== channel) return;
    let notice: Partial<Notice>;
    try {
      notice = JSON.parse(text) as Partial<Notice>;
    } catch {
      return;
    }
    if (notice.from === self || typeof notice.userID !== 'string') return;
    for (const h of handlers) h(notice.userID);
  });
  await subscriber.connect();
  await subscriber.subscribe(channel);
  return {
    publish(userID) {
      const notice: Notice = { from: self, userID };
      client.publish(channel, JSON.stringify(notice)).catch((err: Error) => onPublishFailed(err));
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
