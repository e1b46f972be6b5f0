/**
 * A mini-program runtime for the real jssdk: `uni` and `wx` globals whose connectSocket returns
 * a SocketTask over `ws`, the way uni-app and WeChat hand the jssdk a socket when the page has
 * no global WebSocket.
 *
 * open-im-sdk 3.5.2 (src/utils/webSocketManager.ts) picks its platform once, in the
 * WebSocketManager constructor (`typeof WebSocket`, then `uni`, then `wx`), and the manager is
 * built synchronously inside `login()`; from then on it only calls `<platform>.connectSocket`,
 * and the SocketTask's onOpen/onError/onMessage/onClose, send({data}), close() and readyState.
 * So the global WebSocket (which this process's bridge needs for its own client SDK instances)
 * is hidden only during that synchronous part of `login()`; nothing else runs meanwhile.
 */
import WebSocket from 'ws';

export type MiniProgramPlatform = 'uni' | 'wx';

/** Frames a client received, by kind: the jssdk can only read text (it JSON.parses every frame). */
export interface FrameCounts {
  text: number;
  binary: number;
}

type Callback<T> = (arg: T) => void;

/** The SocketTask surface uni-app and WeChat give a page (what the jssdk uses of it, plus terminate for tests). */
export class SocketTask {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  private readonly ws: WebSocket;
  private readonly open: Callback<Record<string, never>>[] = [];
  private readonly error: Callback<{ errMsg: string }>[] = [];
  private readonly message: Callback<{ data: string | ArrayBuffer }>[] = [];
  private readonly close_: Callback<{ code: number; reason: string }>[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', () => this.open.forEach((f) => f({})));
    this.ws.on('error', (err) => this.error.forEach((f) => f({ errMsg: `connectSocket:fail ${err.message}` })));
    this.ws.on('message', (data, isBinary) => {
      // As the platforms do: text frames arrive as strings, binary ones as ArrayBuffers.
      const payload = isBinary ? (data as ArrayBuffer) : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.message.forEach((f) => f({ data: payload }));
    });
    this.ws.on('close', (code, reason) => this.close_.forEach((f) => f({ code, reason: reason.toString() })));
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  onOpen(f: Callback<Record<string, never>>): void {
    this.open.push(f);
  }
  onError(f: Callback<{ errMsg: string }>): void {
    this.error.push(f);
  }
  onMessage(f: Callback<{ data: string | ArrayBuffer }>): void {
    this.message.push(f);
  }
  onClose(f: Callback<{ code: number; reason: string }>): void {
    this.close_.push(f);
  }

  send(opts: { data: string | ArrayBuffer; success?: () => void; fail?: (e: { errMsg: string }) => void }): void {
    this.ws.send(opts.data, (err) => (err ? opts.fail?.({ errMsg: `sendSocketMessage:fail ${err.message}` }) : opts.success?.()));
  }

  close(opts: { code?: number; reason?: string } = {}): void {
    this.ws.close(opts.code ?? 1000, opts.reason);
  }

  /** A dropped network (tests only; no platform offers it). */
  terminate(): void {
    this.ws.terminate();
  }
}

interface ConnectSocketOptions {
  url: string;
  complete?: () => void;
  success?: () => void;
}

function connectSocket(opts: ConnectSocketOptions): SocketTask {
  const task = new SocketTask(opts.url);
  opts.success?.();
  opts.complete?.();
  return task;
}

/** Installs the `uni` and `wx` globals (idempotent); a page with a WebSocket still gets 'web' from the jssdk. */
export function installMiniProgramGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.uni ??= { connectSocket };
  g.wx ??= { connectSocket };
}

/**
 * Runs `start` (the jssdk's login) with the globals a `platform` page has: no WebSocket, and
 * for `wx` no `uni` either. Only the synchronous part of `start` sees them, which is where the
 * jssdk decides its platform and opens its first socket.
 */
export function asMiniProgram<T>(platform: MiniProgramPlatform, start: () => T): T {
  installMiniProgramGlobals();
  const g = globalThis as Record<string, unknown>;
  const saved = { WebSocket: g.WebSocket, uni: g.uni };
  delete g.WebSocket;
  if (platform === 'wx') delete g.uni;
  try {
    return start();
  } finally {
    g.WebSocket = saved.WebSocket;
    g.uni = saved.uni;
  }
}
