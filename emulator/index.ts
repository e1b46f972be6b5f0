/** Starts an in-memory OpenIM v3.8 server: REST API + msg_gateway, wired to the relation and group domains. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SdkWsProto } from '@openim/protocol';
import type { GroupDomain, RelationDomain, RouteTable } from './api/contract';
import { authRoutes, publicAuthRoutes } from './auth/authRoutes';
import { TokenService } from './auth/tokenService';
import {
  ADMIN_USER_IDS,
  DEFAULT_API_PORT,
  DEFAULT_HOST,
  DEFAULT_MULTI_LOGIN_POLICY,
  DEFAULT_SECRET,
  DEFAULT_TOKEN_EXPIRE_SECONDS,
  DEFAULT_WS_PORT,
  WS_PING_PERIOD_MS,
  WS_READ_TIMEOUT_MS,
} from './config';
import type { EmulatorOptions } from './config';
import { conversationRoutes } from './conversation/conversationRoutes';
import { ConversationStore } from './conversation/conversationStore';
import { GatewayServer } from './gateway/gatewayServer';
import { gatewayOutage, type GatewayOutage } from './gateway/gatewayOutage';
import { OnlineStatusService } from './gateway/onlineStatus';
import { ConnectionRegistry } from './gateway/registry';
import type { GatewayStats } from './gateway/registry';
import { requestHandlers } from './gateway/requestHandlers';
import { group as groupModule, relation as relationModule } from './domains';
import { createApiServer } from './http/apiServer';
import { jssdkRoutes } from './jssdk/jssdkRoutes';
import { SessionType } from './msg/constants';
import { MessageStore } from './msg/messageStore';
import { msgRoutes } from './msg/msgRoutes';
import { MessageNotifier } from './msg/notifier';
import { SendService } from './msg/sendService';
import { conversationAtInfo, GroupAtType } from './msg/atInfo';
import { setConversations } from './conversation/setConversations';
import { SyncService } from './msg/syncService';
import { ObjectStore } from './object/objectStore';
import { objectRoutes } from './object/objectRoutes';
import { resolveProfile } from './profile';
import type { EmulatorProfile } from './profile';
import { userCommandRoutes } from './users/userCommands';
import { userRoutes } from './users/userRoutes';
import { registerAdmins, UserStore } from './users/userStore';

export type { EmulatorOptions } from './config';
export type { GatewayStats } from './gateway/registry';
export { DEFAULT_PROFILE, PROFILE_NAMES, resolveProfile } from './profile';
export type { EmulatorProfile, ProfileName } from './profile';

export interface EmulatorHandle extends GatewayOutage {
  readonly apiAddress: string;
  readonly wsAddress: string;
  readonly secret: string;
  /** The release profile this server follows (profile.ts). */
  readonly profile: EmulatorProfile;
  readonly stats: GatewayStats;
  /**
   * Test hook, not a server feature: cuts the TCP connection of every gateway connection of
   * `userID` (all users when omitted) without a close frame, as a network failure would.
   * Returns how many were cut.
   */
  dropConnections(userID?: string): number;
  /**
   * Test hook for outages: stops listening and cuts every connection, keeping all state
   * (users, tokens, messages), so that start() brings the same server back on the same ports.
   */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** One route table; a path served twice is a wiring mistake, refused at start-up. */
export function mergeRoutes(...tables: RouteTable[]): RouteTable {
  const out: RouteTable = new Map();
  for (const t of tables) {
    for (const [k, v] of t) {
      if (out.has(k)) throw new Error(`duplicate emulator route ${k}`);
      out.set(k, v);
    }
  }
  return out;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const secret = options.secret ?? DEFAULT_SECRET;
  const now = (): number => Date.now();
  const multiLoginPolicy = options.multiLoginPolicy ?? DEFAULT_MULTI_LOGIN_POLICY;
  const profile = resolveProfile(options.profile ?? process.env.EMULATOR_PROFILE);
  const tokens = new TokenService({
    secret,
    ttlSeconds: options.tokenExpireSeconds ?? DEFAULT_TOKEN_EXPIRE_SECONDS,
    adminUserIDs: ADMIN_USER_IDS,
    nowMs: now,
    multiLoginPolicy,
  });
  const users = new UserStore();
  registerAdmins(users, now());
  const registry = new ConnectionRegistry();
  const online = new OnlineStatusService(registry);
  const messages = new MessageStore();
  const conversations = new ConversationStore(now);
  // The domains need the notifier and the notifier's send service needs the domains: late-bound.
  const domains: { relations?: RelationDomain; groups?: GroupDomain } = {};
  const relationsOf = (): RelationDomain => domains.relations as RelationDomain;
  const groupsOf = (): GroupDomain => domains.groups as GroupDomain;
  const atInfo = (msg: SdkWsProto.MsgData, memberIDs: string[]): void => {
    const target = { conversationID: `sg_${msg.groupID}`, conversationType: msg.sessionType, userID: '', groupID: msg.groupID };
    for (const write of conversationAtInfo(msg, memberIDs, profile.atInfoRules)) {
      setConversations(conversations, (userID, id) => notifier.conversationChanged(userID, [id]), write.userIDs, target, { groupAtType: write.groupAtType });
    }
  };
  const send = new SendService({ messages, conversations, push: registry, relations: relationsOf, groups: groupsOf, users, adminUserIDs: ADMIN_USER_IDS, now, atInfo, membersLeft: deleteMemberAndSetConversationSeq });
  const sync = new SyncService(messages, conversations, { rules: profile.quoteRevokedRules, json: profile });
  const notifier = new MessageNotifier({ send: () => send, users, now, json: profile });
  const conversationHooks = {
    // CreateGroupChatConversations: the missing records, and max seq 0 (record and user) for the
    // existing ones, so a member who comes back sees new messages again; no notification.
    ensureGroupConversations: (groupID: string, userIDs: string[]): void => {
      for (const userID of userIDs) {
        conversations.ensure(userID, `sg_${groupID}`, SessionType.ReadGroup, '', groupID);
        messages.setUserMaxSeq(userID, `sg_${groupID}`, 0);
        if (conversations.get(userID, `sg_${groupID}`)?.maxSeq) conversations.update(userID, `sg_${groupID}`, { maxSeq: 0 });
      }
    },
    boundGroupConversation: (groupID: string, userIDs: string[]): void => deleteMemberAndSetConversationSeq(groupID, userIDs),
    memberJoined: (groupID: string, userIDs: string[]): void => {
      if (profile.memberSeqRules === 'patch.14') setConversationMaxSeq(`sg_${groupID}`, userIDs, 0);
    },
    markGroupAnnouncement: (groupID: string, userIDs: string[]): void => {
      const target = { conversationID: `sg_${groupID}`, conversationType: SessionType.ReadGroup, userID: '', groupID };
      setConversations(conversations, (userID, id) => notifier.conversationChanged(userID, [id]), userIDs, target, { groupAtType: GroupAtType.GroupNotification });
    },
  };
  /**
   * conversation.go SetConversationMaxSeq: the user's max seq, the conversation's max_seq, then
   * ConversationChangeNotification per user; v3.8.0 writes the record's max_seq only (its pulls
   * read the bound from there), with no notification.
   */
  function setConversationMaxSeq(conversationID: string, userIDs: string[], maxSeq: number): void {
    for (const userID of userIDs) {
      messages.setUserMaxSeq(userID, conversationID, maxSeq);
      conversations.update(userID, conversationID, { maxSeq });
      if (profile.memberSeqRules !== 'v3.8.0') notifier.conversationChanged(userID, [conversationID]);
    }
  }
  /** group.go and push_handler.go deleteMemberAndSetConversationSeq: the leavers' bound at the group conversation's max seq. */
  function deleteMemberAndSetConversationSeq(groupID: string, userIDs: string[]): void {
    setConversationMaxSeq(`sg_${groupID}`, userIDs, messages.maxSeq(`sg_${groupID}`));
  }
  const relations = (domains.relations = relationModule.createRelationDomain({ users, notifier, now, conversations: conversationHooks, friendRequestHandledCode: profile.friendRequestHandledCode }));
  const groups = (domains.groups = groupModule.createGroupDomain({ users, notifier, now, conversations: conversationHooks, groupInfoRoutes: profile.groupInfoRoutes }));
  const objects = new ObjectStore();

  const apiServer = createApiServer({
    tokens,
    publicRoutes: publicAuthRoutes({ tokens, secret, users, registry }),
    routes: mergeRoutes(
      authRoutes({ tokens, secret, users, registry }),
      userRoutes({ users, notifier, online, registry, now, infoListeners: () => [relationsOf(), groupsOf()] }),
      userCommandRoutes({ notifier, now }),
      msgRoutes({ send, sync, messages, conversations, notifier, users, groups: groupsOf, now, json: profile, clearSetsConversationMinSeq: profile.clearSetsConversationMinSeq }),
      conversationRoutes({ conversations, notifier, send, messages, users, groups: groupsOf, sortedListWithoutMessage: profile.sortedListWithoutMessage }),
      jssdkRoutes({ conversations, messages, users, groups: groupsOf, relations: relationsOf }),
      objectRoutes({ objects, publicBase: () => apiAddress }),
      relations.routes,
      groups.routes,
    ),
    rawHandlers: [objects.rawHandler],
    json: profile,
  });
  const gateway = new GatewayServer({
    tokens,
    registry,
    handlers: requestHandlers({ send, sync, online, msgDataCheck: profile.msgDataCheck }),
    multiLoginPolicy,
    profile,
    readTimeoutMs: options.wsReadTimeoutMs ?? WS_READ_TIMEOUT_MS,
    pingPeriodMs: options.wsPingPeriodMs ?? WS_PING_PERIOD_MS,
  });

  const apiPort = await listen(apiServer, options.apiPort ?? DEFAULT_API_PORT, host);
  let wsPort: number;
  try {
    wsPort = await listen(gateway.http, options.wsPort ?? DEFAULT_WS_PORT, host);
  } catch (e) {
    await closeServer(apiServer);
    throw e;
  }
  const apiAddress = `http://${host}:${apiPort}`;
  const wsAddress = `ws://${host}:${wsPort}`;
  let closing: Promise<void> | undefined;
  return {
    apiAddress,
    wsAddress,
    secret,
    profile,
    stats: registry,
    ...gatewayOutage(gateway.http, registry, host, () => wsPort),
    dropConnections: (userID?: string) => {
      const conns = userID === undefined ? registry.all() : registry.connections(userID);
      for (const c of conns) {
        registry.remove(c);
        c.terminate();
      }
      return conns.length;
    },
    stop: async () => {
      for (const c of registry.all()) {
        registry.remove(c);
        c.terminate();
      }
      await Promise.all([closeServer(apiServer), closeServer(gateway.http)]);
    },
    start: async () => {
      if (!apiServer.listening) await listen(apiServer, apiPort, host);
      if (!gateway.http.listening) await listen(gateway.http, wsPort, host);
    },
    close: () => {
      closing ??= (async () => {
        gateway.shutdown();
        await Promise.all([closeServer(apiServer), closeServer(gateway.http)]);
      })();
      return closing;
    },
  };
}
