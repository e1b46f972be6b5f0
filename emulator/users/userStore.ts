/** The registered users (the real server's user table). */
import type { UserDirectory, UserRecord } from '../api/contract';

export class UserStore implements UserDirectory {
  private readonly users = new Map<string, UserRecord>();

  get(userID: string): UserRecord | undefined {
    return this.users.get(userID);
  }

  exists(userID: string): boolean {
    return this.users.has(userID);
  }

  add(record: UserRecord): void {
    this.users.set(record.userID, record);
  }

  update(userID: string, patch: Partial<Omit<UserRecord, 'userID' | 'createTime'>>): UserRecord | undefined {
    const current = this.users.get(userID);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.users.set(userID, next);
    return next;
  }
}

/** sdkws.UserInfo as the API returns it. */
export function userInfoView(u: UserRecord): Record<string, unknown> {
  return {
    userID: u.userID,
    nickname: u.nickname,
    faceURL: u.faceURL,
    ex: u.ex,
    createTime: u.createTime,
    appMangerLevel: u.appMangerLevel,
    globalRecvMsgOpt: u.globalRecvMsgOpt,
  };
}

/** share.yml imAdminUser: the user rpc creates these at startup with AppAdmin level. */
const ADMIN_USERS = [{ userID: 'imAdmin', nickname: 'superAdmin' }];
const APP_ADMIN_LEVEL = 2;

export function registerAdmins(store: UserStore, createTime: number): void {
  for (const a of ADMIN_USERS) {
    store.add({ userID: a.userID, nickname: a.nickname, faceURL: '', ex: '', createTime, appMangerLevel: APP_ADMIN_LEVEL, globalRecvMsgOpt: 0 });
  }
}
