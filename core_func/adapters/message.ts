/** Creating and sending messages. */
import { defineAdapter } from '../adapter';
import { arg } from '../args';
import { toJssdkMessage } from '../shapes/message';

/** The elem keys the bridge adds as null for the jssdk; the client SDK expects them absent. */
function withoutNullElems(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(message)) if (!(v === null && k.endsWith('Elem'))) out[k] = v;
  return out;
}

function sendMessageAdapter(method: 'SendMessage' | 'SendMessageNotOss') {
  return defineAdapter({
    method,
    args: [
      arg.object('message', (m) => (typeof m.clientMsgID === 'string' ? undefined : 'field clientMsgID must be a string')),
      arg.optionalString('recvID'),
      arg.optionalString('groupID'),
      arg.optionalObject('offlinePushInfo'),
      arg.optionalBoolean('isOnlineOnly', false),
    ],
    summary: 'Sends a message created by a Create*Message call to recvID (single chat) or groupID; resolves with the sent MessageItem.',
    call: async (ctx, [message, recvID, groupID, offlinePushInfo, isOnlineOnly]) =>
      toJssdkMessage(
        await ctx.upstream.call(
          'sendMessage',
          { message: withoutNullElems(message), recvID, groupID, offlinePushInfo, isOnlineOnly },
          ctx.operationID,
        ),
      ),
  });
}

export const messageAdapters = [
  defineAdapter({
    method: 'CreateTextMessage',
    args: [arg.string('text')],
    summary: 'Builds a text MessageItem (not sent).',
    call: async (ctx, [text]) => toJssdkMessage(await ctx.upstream.call('createTextMessage', text, ctx.operationID)),
  }),
  sendMessageAdapter('SendMessage'),
  sendMessageAdapter('SendMessageNotOss'),
];
