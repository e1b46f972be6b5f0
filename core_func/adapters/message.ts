/** Creating, sending, revoking, deleting, finding and storing messages. */
import { randomUUID } from 'node:crypto';
import { PbCoder } from '@openim/protocol';
import { BridgeError, ErrorCode } from '../../common/errors';
import { defineAdapter, type CallContext } from '../adapter';
import { arg, type ArgSpec } from '../args';
import { historyPage, scanConversation, type HistoryQuery } from '../localStore/history';
import { numberOrZero, userStore } from '../localStore/localView';
import { findMessages, searchMessages, type SearchParams } from '../localStore/search';
import { conversationIDOf } from '../shapes/conversation';
import { latestTimeOf, upstreamConversations } from './conversation';
import { toJssdkMessage, toJssdkMessages, withoutNullElems } from '../shapes/message';
import { droppedMessage, isDroppedMessageFailure } from './droppedSend';
import type { UpstreamSession } from '../upstream/upstreamSession';

type Json = Record<string, unknown>;
type Ctx = CallContext & { readonly upstream: UpstreamSession };

const SESSION_SINGLE = 1;
const SESSION_GROUP = 3;
const MSG_STATUS_SUCCEED = 2;
const CONTENT_TYPING = 113;
/** The gateway's SendMsg request identifier. */
const WS_SEND_MSG = 1003;
/** Message options of a typing notice: online only, never stored, counted or synced. */
const TYPING_OPTIONS = ['history', 'persistent', 'offlinePush', 'unreadCount', 'conversationUpdate', 'senderSync', 'senderConversationUpdate'];

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
    releases: 'sends four arguments, without isOnlineOnly (false: the message is stored and pushed offline as well).',
    // The client SDK's sendMessage looks for a File it was handed itself; the jssdk uploads
    // files on its own and sends URL messages, which is what sendMessageNotOss sends.
    call: async (ctx, [message, recvID, groupID, offlinePushInfo, isOnlineOnly]) => {
      const clientMsgID = message.clientMsgID as string;
      ctx.upstream.ownSends.expect(clientMsgID);
      try {
        return toJssdkMessage(await ctx.upstream.call('sendMessageNotOss', { message: withoutNullElems(message), recvID, groupID, offlinePushInfo, isOnlineOnly }, ctx.operationID));
      } catch (err) {
        ctx.upstream.ownSends.forget(clientMsgID); // no push comes back for a send that failed or was dropped
        // Dropped for the receiver's receive option: answered as openim-sdk-core does (droppedSend.ts).
        if (isDroppedMessageFailure(err)) return toJssdkMessage(droppedMessage(message, recvID ?? '', groupID ?? ''));
        throw err;
      }
    },
  });
}

/** A Create* adapter: decoded arguments → the client SDK's params object → a MessageItem. */
function createAdapter<const S extends readonly ArgSpec<unknown>[]>(
  method: string,
  upstreamMethod: string,
  args: S,
  summary: string,
  toParams: (decoded: unknown[]) => unknown,
) {
  return defineAdapter({
    method,
    args,
    summary,
    call: async (ctx, decoded) => toJssdkMessage(await ctx.upstream.call(upstreamMethod, toParams(decoded as unknown[]), ctx.operationID)),
  });
}

const createAdapters = [
  defineAdapter({
    method: 'CreateTextMessage',
    args: [arg.string('text')],
    summary: 'Builds a text MessageItem (not sent).',
    call: async (ctx, [text]) => toJssdkMessage(await ctx.upstream.call('createTextMessage', text, ctx.operationID)),
  }),
  createAdapter(
    'CreateTextAtMessage',
    'createTextAtMessage',
    [arg.string('text'), arg.stringList('atUserIDList'), arg.objectList('atUsersInfo', true), arg.optionalObject('message')],
    'Builds an @-mention text message; `message` (optional) is quoted.',
    ([text, atUserIDList, atUsersInfo, message]) => ({ text, atUserIDList, atUsersInfo, message: message === undefined ? undefined : withoutNullElems(message as Json) }),
  ),
  createAdapter(
    'CreateImageMessageByURL',
    'createImageMessageByURL',
    [arg.string('sourcePath'), arg.object('sourcePicture'), arg.object('bigPicture'), arg.object('snapshotPicture')],
    'Builds a picture message from already uploaded pictures.',
    ([sourcePath, sourcePicture, bigPicture, snapshotPicture]) => ({ sourcePath, sourcePicture, bigPicture, snapshotPicture }),
  ),
  createAdapter('CreateSoundMessageByURL', 'createSoundMessageByURL', [arg.object('soundInfo')], 'Builds a voice message from an uploaded sound.', ([p]) => p),
  createAdapter('CreateVideoMessageByURL', 'createVideoMessageByURL', [arg.object('videoInfo')], 'Builds a video message from an uploaded video and snapshot.', ([p]) => p),
  createAdapter('CreateFileMessageByURL', 'createFileMessageByURL', [arg.object('fileInfo')], 'Builds a file message from an uploaded file.', ([p]) => p),
  createAdapter(
    'CreateMergerMessage',
    'createMergerMessage',
    [arg.objectList('messageList'), arg.string('title'), arg.stringList('summaryList')],
    'Builds a merged-forward message of several messages.',
    ([messageList, title, summaryList]) => ({ messageList, title, summaryList }),
  ),
  createAdapter('CreateForwardMessage', 'createForwardMessage', [arg.object('message')], 'Builds a copy of a sent message, ready to be sent elsewhere.', ([m]) => withoutNullElems(m as Json)),
  createAdapter(
    'CreateLocationMessage',
    'createLocationMessage',
    [arg.string('description'), arg.number('longitude'), arg.number('latitude')],
    'Builds a location message.',
    ([description, longitude, latitude]) => ({ description, longitude, latitude }),
  ),
  createAdapter(
    'CreateQuoteMessage',
    'createQuoteMessage',
    [arg.string('text'), arg.object('message')],
    'Builds a text message quoting another message (`message` is the quoted MessageItem as JSON).',
    ([text, message]) => ({ text, message: JSON.stringify(withoutNullElems(message as Json)) }),
  ),
  createAdapter('CreateCardMessage', 'createCardMessage', [arg.object('card')], 'Builds a business-card message.', ([card]) => card),
  createAdapter(
    'CreateCustomMessage',
    'createCustomMessage',
    [arg.string('data'), arg.string('extension'), arg.string('description')],
    'Builds a custom message.',
    ([data, extension, description]) => ({ data, extension, description }),
  ),
  createAdapter('CreateFaceMessage', 'createFaceMessage', [arg.number('index'), arg.string('data')], 'Builds a face (sticker) message.', ([index, data]) => ({ index, data })),
];

/** A typing notice as the SDK core sends it: a MsgData of type 113 that the server never stores. */
function typingMsgData(ctx: Ctx, recvID: string, msgTip: string): Uint8Array {
  const now = Date.now();
  const bytes = PbCoder.MsgData.encode({
    sendID: ctx.userID,
    recvID,
    groupID: '',
    clientMsgID: randomUUID().replace(/-/g, ''),
    serverMsgID: '',
    senderPlatformID: ctx.platformID,
    senderNickname: '',
    senderFaceURL: '',
    sessionType: SESSION_SINGLE,
    msgFrom: 100,
    contentType: CONTENT_TYPING,
    content: new TextEncoder().encode(JSON.stringify({ msgTips: msgTip })),
    seq: 0,
    sendTime: 0,
    createTime: now,
    status: 1,
    isRead: false,
    options: Object.fromEntries(TYPING_OPTIONS.map((k) => [k, false])),
    offlinePushInfo: undefined,
    atUserIDList: [],
    attachedInfo: '',
    ex: '',
    keyVersion: 0,
    dstUserIDs: [],
  }).finish();
  return new Uint8Array(bytes); // the client SDK sends `data.buffer` whole: it must be exactly these bytes
}

/**
 * The client SDK revokes and deletes only messages in its cache, which holds what this login
 * has seen; an older message is looked up in the history (filling the cache) and the call retried.
 */
async function withMessageCached<T>(ctx: Ctx, conversationID: string, clientMsgID: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof BridgeError && /message not exist/.test(err.message))) throw err;
    const has = (seen: readonly Json[]) => seen.some((m) => m.clientMsgID === clientMsgID);
    if (!has(await scanConversation(ctx, conversationID, has))) throw err;
    return run();
  }
}

/** Messages inserted locally are not on the server: operations on them stay local. */
async function isLocalOnly(ctx: Ctx, conversationID: string, clientMsgID: string): Promise<boolean> {
  if (!ctx.localStore) return false;
  return (await userStore(ctx).insertedMessages(conversationID)).some((m) => m.clientMsgID === clientMsgID);
}

/** The SDK core's insert: the message as sent, stored in the local database only. */
async function insertLocal(ctx: Ctx, message: Json, fields: { sessionType: number; sendID: string; recvID: string; groupID: string }): Promise<unknown> {
  const peer = fields.sessionType === SESSION_GROUP ? fields.groupID : fields.sendID === ctx.userID ? fields.recvID : fields.sendID;
  const conversationID = conversationIDOf(ctx.userID, peer, fields.sessionType);
  const now = Date.now();
  const stored: Json = {
    ...message,
    ...fields,
    clientMsgID: typeof message.clientMsgID === 'string' && message.clientMsgID ? message.clientMsgID : randomUUID().replace(/-/g, ''),
    createTime: typeof message.createTime === 'number' && message.createTime ? message.createTime : now,
    sendTime: typeof message.sendTime === 'number' && message.sendTime ? message.sendTime : now,
    status: MSG_STATUS_SUCCEED,
  };
  await userStore(ctx).insertMessage(conversationID, stored);
  return toJssdkMessage(stored);
}

function historyAdapter(method: 'GetAdvancedHistoryMessageList' | 'GetAdvancedHistoryMessageListReverse', reverse: boolean) {
  return defineAdapter({
    method,
    args: [arg.object<Json>('params', (p) => (typeof p.conversationID === 'string' && typeof p.count === 'number' ? undefined : 'fields conversationID (string) and count (number) are required'))],
    summary: reverse ? 'Messages newer than startClientMsgID, oldest first.' : 'Messages older than startClientMsgID (or the newest ones), oldest first.',
    difference: 'Locally deleted messages are left out of a page rather than replaced, so a page can hold fewer than count messages.',
    call: async (ctx, [p]) => {
      const q: HistoryQuery = { conversationID: String(p.conversationID), startClientMsgID: typeof p.startClientMsgID === 'string' ? p.startClientMsgID : '', count: Number(p.count) };
      const page = await historyPage(ctx, q, reverse);
      return { ...page, messageList: toJssdkMessages(page.messageList) };
    },
  });
}

function searchParams(p: Json): SearchParams {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const numbers = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  return {
    conversationID: typeof p.conversationID === 'string' ? p.conversationID : '',
    keywordList: strings(p.keywordList),
    keywordListMatchType: numberOrZero(p.keywordListMatchType),
    senderUserIDList: strings(p.senderUserIDList),
    messageTypeList: numbers(p.messageTypeList),
    searchTimePosition: numberOrZero(p.searchTimePosition),
    searchTimePeriod: numberOrZero(p.searchTimePeriod),
    pageIndex: numberOrZero(p.pageIndex),
    count: numberOrZero(p.count),
  };
}

const operateArgs = [arg.string('conversationID'), arg.string('clientMsgID')] as const;

const operateAdapters = [
  defineAdapter({
    method: 'TypingStatusUpdate',
    args: [arg.string('recvID'), arg.string('msgTip')],
    summary: 'Sends a typing notice (content type 113, online only, not stored) to recvID.',
    difference: 'A recipient that is itself behind this bridge gets no event: the client SDK turns typing notices into OnConversationUserInputStatusChanged, which open-im-sdk 3.5.2 does not know.',
    call: async (ctx, [recvID, msgTip]) => {
      if (!recvID) throw new BridgeError(ErrorCode.ArgsError, 'recvID must not be empty');
      await ctx.upstream.call('sendReqWaitResp', { data: typingMsgData(ctx, recvID, msgTip), reqIdentifier: WS_SEND_MSG, operationID: ctx.operationID });
      return '';
    },
  }),
  defineAdapter({
    method: 'RevokeMessage',
    args: operateArgs,
    summary: 'Revokes a message (own messages; group owners and admins may revoke others\' in groups).',
    call: async (ctx, [conversationID, clientMsgID]) => {
      await withMessageCached(ctx, conversationID, clientMsgID, () => ctx.upstream.call('revokeMessage', { conversationID, clientMsgID }, ctx.operationID));
      return '';
    },
  }),
  defineAdapter({
    method: 'DeleteMessage',
    args: operateArgs,
    summary: 'Deletes a message for this user, on the server and locally.',
    call: async (ctx, [conversationID, clientMsgID]) => {
      if (!(await isLocalOnly(ctx, conversationID, clientMsgID))) {
        await withMessageCached(ctx, conversationID, clientMsgID, () => ctx.upstream.call('deleteMessage', { conversationID, clientMsgID }, ctx.operationID));
      }
      if (ctx.localStore) await userStore(ctx).markDeleted(conversationID, clientMsgID);
      return '';
    },
  }),
  defineAdapter({
    method: 'DeleteMessageFromLocalStorage',
    args: operateArgs,
    summary: 'Deletes a message from this user\'s local data only (kept by the bridge).',
    call: async (ctx, [conversationID, clientMsgID]) => {
      await userStore(ctx).markDeleted(conversationID, clientMsgID);
      return '';
    },
  }),
  defineAdapter({
    method: 'DeleteAllMsgFromLocal',
    args: [],
    summary: 'Deletes every message from this user\'s local data (the server keeps them).',
    call: async (ctx) => {
      await userStore(ctx).clearAll(latestTimeOf(await upstreamConversations(ctx)));
      return '';
    },
  }),
  defineAdapter({
    method: 'DeleteAllMsgFromLocalAndSvr',
    args: [],
    summary: 'Deletes every message of this user, on the server and locally.',
    call: async (ctx) => {
      const upTo = latestTimeOf(await upstreamConversations(ctx));
      await ctx.upstream.call('deleteAllMsgFromLocalAndSvr', ctx.operationID);
      if (ctx.localStore) await userStore(ctx).clearAll(upTo);
      return '';
    },
  }),
  defineAdapter({
    method: 'SetMessageLocalEx',
    args: [arg.string('conversationID'), arg.string('clientMsgID'), arg.string('localEx')],
    summary: 'Sets a message\'s localEx (local to this user, kept by the bridge).',
    call: async (ctx, [conversationID, clientMsgID, localEx]) => {
      await userStore(ctx).setLocalEx(conversationID, clientMsgID, localEx);
      return '';
    },
  }),
];

const queryAdapters = [
  historyAdapter('GetAdvancedHistoryMessageList', false),
  historyAdapter('GetAdvancedHistoryMessageListReverse', true),
  defineAdapter({
    method: 'SearchLocalMessages',
    args: [arg.object('params')],
    summary: 'Searches the history this user has synced (one conversation, or all when conversationID is empty).',
    difference: 'Searches at most the newest 2000 messages of each conversation, fetched through the client SDK, instead of a local full-text index.',
    releases: 'its types declare the answer a MessageItem[]; the OpenIM SDK core v3.5.1 answered {totalCount, searchResultItems} to every release (sdk_params_callback SearchLocalMessagesCallback), and so does the bridge.',
    call: async (ctx, [p]) => {
      const params = searchParams(p);
      if (!params.keywordList.length && !params.senderUserIDList.length && !params.messageTypeList.length) throw new BridgeError(ErrorCode.ArgsError, 'keywordList, senderUserIDList and messageTypeList are all empty');
      const res = await searchMessages(ctx, params, await upstreamConversations(ctx));
      return { ...res, searchResultItems: res.searchResultItems.map((i) => ({ ...i, messageList: toJssdkMessages(i.messageList) })) };
    },
  }),
  defineAdapter({
    method: 'FindMessageList',
    args: [arg.objectList<{ conversationID: string; clientMsgIDList: string[] }>('findParams')],
    summary: 'Looks messages up by conversation and clientMsgID.',
    difference: 'Looks through at most the newest 2000 messages of each conversation.',
    call: async (ctx, [wanted]) => {
      for (const w of wanted) if (typeof w.conversationID !== 'string' || !Array.isArray(w.clientMsgIDList)) throw new BridgeError(ErrorCode.ArgsError, 'argument findParams: each item needs conversationID and clientMsgIDList');
      const res = await findMessages(ctx, wanted, await upstreamConversations(ctx));
      return { ...res, findResultItems: res.findResultItems.map((i) => ({ ...i, messageList: toJssdkMessages(i.messageList) })) };
    },
  }),
  defineAdapter({
    method: 'InsertSingleMessageToLocalStorage',
    args: [arg.object('message'), arg.string('recvID'), arg.string('sendID')],
    summary: 'Stores a single-chat message in this user\'s local data only; resolves with the stored MessageItem.',
    difference: 'The conversation\'s latestMsg is not changed and no conversation event fires.',
    call: async (ctx, [message, recvID, sendID]) => insertLocal(ctx, message, { sessionType: SESSION_SINGLE, sendID, recvID, groupID: '' }),
  }),
  defineAdapter({
    method: 'InsertGroupMessageToLocalStorage',
    args: [arg.object('message'), arg.string('groupID'), arg.string('sendID')],
    summary: 'Stores a group message in this user\'s local data only; resolves with the stored MessageItem.',
    difference: 'The conversation\'s latestMsg is not changed and no conversation event fires.',
    call: async (ctx, [message, groupID, sendID]) => insertLocal(ctx, message, { sessionType: SESSION_GROUP, sendID, recvID: '', groupID }),
  }),
];

export const messageAdapters = [...createAdapters, sendMessageAdapter('SendMessage'), sendMessageAdapter('SendMessageNotOss'), ...operateAdapters, ...queryAdapters];
