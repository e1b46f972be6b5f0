/**
 * What the REST helpers need of a logged-in call: the user, the operationID, and the session's
 * REST path (UpstreamSession.rest). Adapters, continuity and the SDK-core rules all pass their
 * call context; nothing here depends on theirs.
 */
export interface RestCaller {
  readonly userID: string;
  readonly operationID: string;
  readonly upstream: { rest<T = unknown>(path: string, body: unknown, operationID: string): Promise<T> };
}

export function restCall<T = Record<string, unknown>>(ctx: RestCaller, path: string, body: Record<string, unknown>): Promise<T> {
  return ctx.upstream.rest<T>(path, body, ctx.operationID);
}
