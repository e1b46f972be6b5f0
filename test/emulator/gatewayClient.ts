/**
 * A bare gateway connection for emulator tests: binary JSON requests, every frame kept, waits by
 * predicate (never by time).
 */
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import WebSocket from 'ws';
import { WEB_PLATFORM_ID } from '../support/clientSdk';

type MsgData = SdkWsProto.MsgData;

interface GatewayFrame {
  reqIdentifier: number;
  msgIncr: string;
  errCode: number;
  data: string | null;
}

export async function gatewayClient(wsAddress: string, userID: string, token: string, options: { platformID?: number; isBackground?: boolean } = {}) {
  const platformID = options.platformID ?? WEB_PLATFORM_ID;
  const ws = new WebSocket(`${wsAddress}/?sendID=${userID}&token=${token}&platformID=${platformID}&operationID=g&isBackground=${options.isBackground ?? false}&isMsgResp=true`);
  const frames: GatewayFrame[] = [];
  const waiters: Array<{ p: (f: GatewayFrame) => boolean; resolve: (f: GatewayFrame) => void }> = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as GatewayFrame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.p(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const next = (p: (f: GatewayFrame) => boolean): Promise<GatewayFrame> => {
    const seen = frames.find(p);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ p, resolve }));
  };
  await next(() => true);
  let incr = 0;
  return {
    ws,
    next,
    async request(reqIdentifier: number, data: Uint8Array): Promise<GatewayFrame> {
      incr += 1;
      const msgIncr = `r${incr}`;
      const reply = next((f) => f.msgIncr === msgIncr);
      ws.send(Buffer.from(JSON.stringify({ reqIdentifier, sendID: userID, token, operationID: `op${msgIncr}`, msgIncr, data: Buffer.from(data).toString('base64') })));
      return reply;
    },
    /** Every message pushed so far (identifier 2001), chat and notification conversations alike. */
    pushed(): MsgData[] {
      return this.pushedIn().map((p) => p.msg);
    },
    /** The same with the conversation each was pushed in (`sg_…` chat copy, `n_…` notification copy). */
    pushedIn(): Array<{ conversationID: string; msg: MsgData }> {
      return frames
        .filter((f) => f.reqIdentifier === 2001 && f.data)
        .flatMap((f) => {
          const push = PbCoder.PushMessages.decode(Buffer.from(f.data!, 'base64'));
          return [...Object.entries(push.msgs), ...Object.entries(push.notificationMsgs)].flatMap(([conversationID, p]) => p.Msgs.map((msg) => ({ conversationID, msg })));
        });
    },
  };
}

export type GatewayClient = Awaited<ReturnType<typeof gatewayClient>>;
