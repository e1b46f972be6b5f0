/** The seam between the gate and whatever serves a connection (the session layer). */
import type { SharedEncodings } from './codecs';
import type { JssdkRequest } from './frames';
import type { ConnectParams } from './handshake';

/** How an agent talks back to its client. All data is encoded by the gate. */
export interface ClientChannel {
  /** Answers a request: `errCode` 0 with `data`, or an error. */
  respond(event: string, operationID: string, result: { errCode: number; errMsg: string; data?: unknown }): void;
  /**
   * Pushes a callback event (OnRecvNewMessages, …). `data` is JSON-encoded by the gate.
   * False when the frame was not queued: the connection is closing or the client reads too slowly.
   * `shared`: `data` is frozen and sent to other clients too; its encodings are kept there.
   */
  emit(event: string, data: unknown, operationID?: string, errCode?: number, errMsg?: string, shared?: SharedEncodings): boolean;
  close(code: number, reason: string): void;
  /** Drops the connection without a close handshake. */
  terminate(): void;
  readonly isOpen: boolean;
  /** Bytes queued towards the client and not yet sent. */
  readonly bufferedAmount: number;
  /** Calls `listener` once what is queued towards the client has gone out (network/transport.ts). */
  whenDrained(listener: () => void): void;
}

export interface Agent {
  onRequest(request: JssdkRequest): void;
  onClose(code: number, reason: string): void;
}

export type AgentFactory = (params: ConnectParams, channel: ClientChannel) => Agent;
