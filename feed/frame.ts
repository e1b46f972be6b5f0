/** What a feed hands its app instance: one event frame, in the jssdk's shape. */
export interface FeedFrame {
  readonly event: string;
  readonly data: unknown;
  readonly operationID: string;
  readonly errCode: number;
  readonly errMsg: string;
  /** The chat seqs this frame gives the app (core_func/continuity): the cursor moves when it is written. */
  readonly seqs?: ReadonlyArray<readonly [string, number]>;
}

export function frame(event: string, data: unknown, operationID: string, seqs?: FeedFrame['seqs']): FeedFrame {
  return { event, data, operationID, errCode: 0, errMsg: '', seqs };
}
