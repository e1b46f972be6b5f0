/** SelfUserInfo as the jssdk declares it. */
import { withDefaults } from './defaults';

const SELF_USER_DEFAULTS = { createTime: 0, ex: '', faceURL: '', nickname: '', userID: '', globalRecvMsgOpt: 0 };

export function toJssdkSelfUser(u: unknown): unknown {
  return withDefaults(u, SELF_USER_DEFAULTS);
}
