/** Login lifecycle and login state. */
import { defineAdapter, defineLifecycle } from '../adapter';
import { arg } from '../args';

/** open-im-sdk's LoginStatus. */
export const LoginStatus = { Logout: 1, Logging: 2, Logged: 3 } as const;

export const authAdapters = [
  defineLifecycle({
    method: 'Login',
    kind: 'login',
    args: [arg.string('userID'), arg.string('token')],
    requiresLogin: false,
    summary: 'Logs in upstream (one client-SDK instance per session); answered once the gateway accepted the token.',
  }),
  defineLifecycle({
    method: 'Logout',
    kind: 'logout',
    args: [],
    requiresLogin: true,
    summary: 'Logs out upstream, answers, then closes the socket.',
  }),
  defineAdapter({
    method: 'GetLoginStatus',
    args: [],
    requiresLogin: false,
    summary: 'The session\'s LoginStatus (1 logged out, 2 logging in, 3 logged in), answered by the bridge.',
    call: async (ctx) => ctx.loginStatus,
  }),
  defineAdapter({
    method: 'GetLoginUserID',
    args: [],
    requiresLogin: false,
    summary: 'The logged-in user ID ("" before Login succeeds), answered by the bridge.',
    call: async (ctx) => (ctx.loginStatus === LoginStatus.Logged ? ctx.userID : ''),
  }),
];
