/** Server message IDs: unique per message, like msg rpc GetMsgID (md5 of time, sender and a random). */
import { createHash, randomBytes } from 'node:crypto';

export function newServerMsgID(sendID: string): string {
  return createHash('md5').update(`${Date.now()}-${sendID}-${randomBytes(8).toString('hex')}`).digest('hex');
}

/** The admin API's clientMsgID for messages it creates itself. */
export function newClientMsgID(sendID: string): string {
  return newServerMsgID(`client-${sendID}`);
}
