/** The logged-in user's own profile. */
import { defineAdapter } from '../adapter';
import { toJssdkSelfUser } from '../shapes/user';

export const userAdapters = [
  defineAdapter({
    method: 'GetSelfUserInfo',
    args: [],
    summary: 'The logged-in user\'s SelfUserInfo.',
    call: async (ctx) => toJssdkSelfUser(await ctx.upstream.call('getSelfUserInfo', ctx.operationID)),
  }),
];
