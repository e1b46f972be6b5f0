/**
 * One logged-in session per user and platform. A session is registered only after its
 * own upstream login succeeded; only then is the one it replaces told to go.
 */
export interface Replaceable {
  /** Called on the session a newer login of the same user and platform replaced. */
  replacedByNewLogin(): void;
}

export class SessionRegistry<S extends Replaceable> {
  private readonly byKey = new Map<string, S>();

  static key(userID: string, platformID: number): string {
    return `${platformID}:${userID}`;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(userID: string, platformID: number): S | undefined {
    return this.byKey.get(SessionRegistry.key(userID, platformID));
  }

  /** Registers `session`, replacing (and notifying) any other session of the same user and platform. */
  claim(userID: string, platformID: number, session: S): void {
    const key = SessionRegistry.key(userID, platformID);
    const previous = this.byKey.get(key);
    this.byKey.set(key, session);
    if (previous && previous !== session) previous.replacedByNewLogin();
  }

  /** Removes `session` if it is still the registered one. */
  release(userID: string, platformID: number, session: S): void {
    const key = SessionRegistry.key(userID, platformID);
    if (this.byKey.get(key) === session) this.byKey.delete(key);
  }

  all(): IterableIterator<S> {
    return this.byKey.values();
  }
}
