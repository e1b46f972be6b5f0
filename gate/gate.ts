/**
 * The jssdk wire protocol on top of any transport: admits connections by their connect
 * parameters, greets with InitSDK, validates every frame and hands requests to an agent
 * (or, for a connection admission refused in-band, answers its Login with the refusal).
 * Frames it cannot read are answered here with a jssdk-shaped error; the connection stays.
 *
 * The greeting waits for the client's first frame: frames go out in the kind the client speaks
 * (network/), and open-im-sdk 3.4.1 reads only binary frames, 3.5.2 only text ones.
 */
import { ErrorCode } from '../common/errors';
import type { Connection, ConnectionAcceptor, ConnectionHandler, ConnectRequest, ConnectDecision, InboundFrame } from '../network/transport';
import { CloseCode } from '../network/transport';
import type { Agent, AgentFactory, ClientChannel } from './agent';
import { INIT_SDK_EVENT, PROTOCOL_ERROR_EVENT } from './frames';
import { readConnectParams, type ConnectParams } from './handshake';
import { sniffIds } from './parseRequest';
import { CODECS, type FrameCodec, type OutboundFrame, type SharedEncodings } from './codecs';
import { answerFailedLogin } from './loginRefusal';

export interface GateHooks {
  /** Extra admission checks (origin, rate, token) after the connect parameters were read. */
  admit?(params: ConnectParams, req: ConnectRequest): ConnectDecision<ConnectParams>;
  onProtocolError?(reason: string): void;
  /** How long a connection refused in-band waits for its Login before it is closed (default 10 s). */
  readonly refusedIdleMs?: number;
}

export const DEFAULT_REFUSED_IDLE_MS = 10_000;

/** Serves a connection admission refused in-band: its first request is answered with the refusal, then it closes. */
function refusingAgent(channel: ClientChannel, refusal: NonNullable<ConnectParams['refusal']>, idleMs: number): Agent {
  const idle = setTimeout(() => channel.close(CloseCode.PolicyViolation, 'idle: no request after the upgrade'), idleMs);
  idle.unref();
  let answered = false;
  return {
    onRequest(request) {
      if (answered) return;
      answered = true;
      clearTimeout(idle);
      answerFailedLogin(channel, request, refusal);
    },
    onClose() {
      clearTimeout(idle);
    },
  };
}

export class JssdkGate implements ConnectionAcceptor<ConnectParams> {
  constructor(
    private readonly createAgent: AgentFactory,
    private readonly hooks: GateHooks = {},
  ) {}

  authorize(req: ConnectRequest): ConnectDecision<ConnectParams> {
    const decision = readConnectParams(req);
    if (!decision.accept || !this.hooks.admit) return decision;
    return this.hooks.admit(decision.context, req);
  }

  open(conn: Connection, params: ConnectParams): ConnectionHandler {
    const codec = CODECS.get(params.codec)!;
    const channel = new FrameChannel(conn, codec);
    const agent = params.refusal ? refusingAgent(channel, params.refusal, this.hooks.refusedIdleMs ?? DEFAULT_REFUSED_IDLE_MS) : this.createAgent(params, channel);
    const hooks = this.hooks;
    let greeted = false;
    return {
      onFrame(frame: InboundFrame) {
        if (!greeted) {
          greeted = true;
          channel.emit(INIT_SDK_EVENT, undefined, params.operationID);
        }
        if (frame.tooLarge) {
          const ids = sniffIds(frame.data.toString('latin1'));
          hooks.onProtocolError?.('frame too large');
          channel.respond(ids.reqFuncName || PROTOCOL_ERROR_EVENT, ids.operationID, {
            errCode: ErrorCode.ProtocolError,
            errMsg: `frame of ${frame.size} bytes exceeds the limit`,
          });
          return;
        }
        const parsed = codec.decode(frame.data);
        if (!parsed.ok) {
          hooks.onProtocolError?.(parsed.reason);
          channel.respond(PROTOCOL_ERROR_EVENT, parsed.operationID, { errCode: ErrorCode.ProtocolError, errMsg: parsed.reason });
          return;
        }
        agent.onRequest(parsed.request);
      },
      onClose(code: number, reason: string) {
        agent.onClose(code, reason);
      },
    };
  }
}

class FrameChannel implements ClientChannel {
  constructor(
    private readonly conn: Connection,
    private readonly codec: FrameCodec,
  ) {}

  get isOpen(): boolean {
    return this.conn.isOpen;
  }

  get bufferedAmount(): number {
    return this.conn.bufferedAmount;
  }

  whenDrained(listener: () => void): void {
    this.conn.whenDrained(listener);
  }

  respond(event: string, operationID: string, result: { errCode: number; errMsg: string; data?: unknown }): void {
    this.write({ event, errCode: result.errCode, errMsg: result.errMsg, data: result.data, operationID });
  }

  /** `shared`: the encodings of a frozen `data` other frames carry too (codecs.ts). */
  emit(event: string, data: unknown, operationID = '', errCode = 0, errMsg = '', shared?: SharedEncodings): boolean {
    return this.write({ event, errCode, errMsg, data, operationID, shared });
  }

  close(code: number, reason: string): void {
    this.conn.close(code, reason);
  }

  terminate(): void {
    this.conn.terminate();
  }

  private write(frame: OutboundFrame): boolean {
    let bytes: string | Buffer;
    try {
      bytes = this.codec.encode(frame);
    } catch {
      // A value the codec cannot carry: the client still gets an answer it can read.
      bytes = this.codec.encode({ ...frame, shared: undefined, data: null, errCode: ErrorCode.Unknown, errMsg: `${frame.event}: result could not be encoded` });
    }
    return this.conn.send(bytes);
  }
}
