/** Server message IDs: unique per message, like msg rpc GetMsgID (md5 of time, sender and a random). */
import { createHash, randomBytes } from 'node:crypto';

export function newServerMsgID(sendID: string): string {
  return createHash('md5').update(`${Date.now()}-${sendID}-${randomBytes(8).toString('hex')}`).digest('hex');
}

/**
 * idutil.GetMsgIDByMD5 (openimsdk/tools), which NotificationSender.send uses for a
 * notification's clientMsgID: the hex MD5 of the sender, the time and a random number.
 */
export function newNotificationClientMsgID(sendID: string): string {
  return createHash('md5').update(`${sendID}${Date.now()}${randomBytes(8).readUInt32BE(0)}`).digest('hex');
}

/** The admin API's clientMsgID for messages it creates itself. */
export function newClientMsgID(sendID: string): string {
  return newServerMsgID(`client-${sendID}`);
}
