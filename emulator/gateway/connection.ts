/** One authenticated gateway connection (msggateway Client). */
import type WebSocket from 'ws';
import { encodeResponse, WsIdentifier } from './frames';
import type { WsResponse } from './frames';

export class GatewayConnection {
  /**
   * client.go ResetClient reads the handshake's isBackground and then sets false: only a
   * SetBackgroundStatus request (2004, setAppBackgroundStatus) puts a connection in the background.
   */
  isBackground = false;
  /** JSON heartbeats received (the client SDK's `{"type":"ping"}`). */
  heartbeats = 0;
  private closed = false;

  constructor(
    readonly connID: number,
    readonly userID: string,
    readonly platformID: number,
    readonly token: string,
    private readonly socket: WebSocket,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Responses and pushes go out as binary frames, like WriteMessage(BinaryMessage). */
  send(resp: WsResponse): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(encodeResponse(resp));
  }

  sendText(text: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(text);
  }

  /** KickOnlineMessage: a bare 2002 frame, then the connection closes. */
  kick(): void {
    this.send({ reqIdentifier: WsIdentifier.KickOnlineMsg, msgIncr: '', operationID: '', errCode: 0, errMsg: '', data: null });
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }

  /** Drop the TCP connection at once (used when the emulator shuts down). */
  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }
}
