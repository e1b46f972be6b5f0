/**
 * The encodings of data that frames of several app instances share (feed/fanOutCache.ts), per
 * codec, filled by the first that encodes it: the data is frozen, so every frame carrying it
 * is encoded alike.
 */
export interface SharedEncodings {
  json?: string;
}

/** What a feed hands its app instance: one event frame, in the jssdk's shape. */
export interface FeedFrame {
  readonly event: string;
  readonly data: unknown;
  readonly operationID: string;
  readonly errCode: number;
  readonly errMsg: string;
  /** The chat seqs this frame gives the app (core_func/continuity): the cursor moves when it is written. */
  readonly seqs?: ReadonlyArray<readonly [string, number]>;
  /** Set when `data` is shared with other instances' frames (the same message to many). */
  readonly encodings?: SharedEncodings;
}

export function frame(event: string, data: unknown, operationID: string, seqs?: FeedFrame['seqs']): FeedFrame {
  return { event, data, operationID, errCode: 0, errMsg: '', seqs };
}
