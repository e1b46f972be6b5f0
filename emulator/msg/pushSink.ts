/** Where stored messages go to reach online connections (the gateway implements it). */
import type { SdkWsProto } from '@openim/protocol';

export interface PushSink {
  /** Push one message to every connection of each user (PushMsg 2001). */
  pushMessage(userIDs: readonly string[], msg: SdkWsProto.MsgData): void;
}
