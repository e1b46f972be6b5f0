/** Conversations and unread counts. */
import { defineAdapter } from '../adapter';
import { toJssdkConversations } from '../shapes/conversation';

/** getAllConversationList is built from the client SDK's paged listing. */
export const CONVERSATION_PAGE_SIZE = 500;

export const conversationAdapters = [
  defineAdapter({
    method: 'GetAllConversationList',
    args: [],
    summary: 'Every conversation, pinned first then by latest message time.',
    call: async (ctx) => {
      const all: unknown[] = [];
      for (let offset = 0; ; offset += CONVERSATION_PAGE_SIZE) {
        const page = await ctx.upstream.call<unknown[]>('getConversationListSplit', { offset, count: CONVERSATION_PAGE_SIZE }, ctx.operationID);
        all.push(...page);
        if (page.length < CONVERSATION_PAGE_SIZE) break;
      }
      return toJssdkConversations(all);
    },
  }),
  defineAdapter({
    method: 'GetTotalUnreadMsgCount',
    args: [],
    summary: 'Total unread count across conversations (a number).',
    call: async (ctx) => ctx.upstream.call<number>('getTotalUnreadMsgCount', ctx.operationID),
  }),
];
