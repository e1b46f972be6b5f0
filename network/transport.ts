/**
 * What every transport offers the layers above it: connections that carry frames, each
 * in the kind its peer speaks, and a way to accept or refuse a connection before it is
 * established. Nothing here knows about OpenIM or the jssdk.
 */

/** The request that asks to open a connection (an HTTP upgrade, or a handshake line). */
export interface ConnectRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string;
}

export type ConnectDecision<C> =
  | { readonly accept: true; readonly context: C }
  | { readonly accept: false; readonly status: number; readonly reason: string };

/** Close codes used across transports (RFC 6455 numbering). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  PolicyViolation: 1008,
  TooBig: 1009,
  ServerError: 1011,
} as const;

export interface Connection {
  readonly id: number;
  readonly remoteAddress: string;
  /**
   * Queues a frame. Where the transport tells text from binary frames, bytes go out as a binary
   * frame and text in the kind the peer speaks (its first frame's kind; text until it sent one):
   * some clients read only binary frames, others only text. Returns false, and closes the
   * connection, when the outbound bound is exceeded.
   */
  send(data: string | Buffer): boolean;
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a close handshake (as a broken network would). */
  terminate(): void;
  readonly isOpen: boolean;
  /** Bytes queued towards the peer and not yet written to the network. */
  readonly bufferedAmount: number;
  /**
   * Calls `listener` once, when what is queued towards the peer has been handed to the network
   * (at once when nothing is queued). A connection that closes first never calls it.
   */
  whenDrained(listener: () => void): void;
}

/** Callbacks one accepted connection reports to. */
export interface ConnectionHandler {
  /** A complete inbound frame; `tooLarge` frames are reported with their first bytes only. */
  onFrame(frame: InboundFrame): void;
  onClose(code: number, reason: string): void;
}

export interface InboundFrame {
  readonly data: Buffer;
  readonly isBinary: boolean;
  /** Set when the frame exceeded the configured maximum; `data` then holds only its head. */
  readonly tooLarge: boolean;
  readonly size: number;
}

/** The layer above decides who may connect and what handles each connection. */
export interface ConnectionAcceptor<C> {
  authorize(req: ConnectRequest): ConnectDecision<C>;
  open(conn: Connection, context: C): ConnectionHandler;
}

export interface TransportLimits {
  /** Frames larger than this are reported as `tooLarge` (head only). */
  readonly maxFrameBytes: number;
  readonly maxConnections: number;
  readonly maxOutboundBytes: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
}
