/**
 * Support for the continuity suites: a user with chats in several conversations (single and
 * group) whose messages are sent through the server's admin REST API while the path to the
 * app is broken, and checks that the app then has each exactly once, in seq order, and a
 * conversation list that agrees with the server.
 */
import type { ConversationItem, MessageItem } from 'open-im-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from './admin';
import type { JssdkClient } from './jssdk';
import { waitUntil } from './wait';

const TEXT = 101;
const SINGLE = 1;
const GROUP = 3;

export interface Conversation {
  readonly conversationID: string;
  /** A peer's userID (single chat) or the groupID. */
  readonly target: string;
  readonly group: boolean;
  /** Who sends into it. */
  readonly senderID: string;
}

export interface ChatWorld {
  readonly apiAddress: string;
  readonly adminToken: string;
  readonly userID: string;
  readonly conversations: readonly Conversation[];
}

/** `singles` peers and `groups` groups (owned by the first peer), the user in every one. */
export async function chatWorld(apiAddress: string, adminToken: string, userID: string, singles: number, groups: number): Promise<ChatWorld> {
  const peers = Array.from({ length: Math.max(singles, 1) }, (_, i) => uniqueUserID(`peer${i}`));
  await registerUsers(apiAddress, adminToken, peers.map((p) => ({ userID: p })));
  const conversations: Conversation[] = peers.slice(0, singles).map((p) => ({ conversationID: `si_${[p, userID].sort().join('_')}`, target: p, group: false, senderID: p }));
  for (let i = 0; i < groups; i++) {
    const created = await adminPost<{ groupInfo: { groupID: string } }>(apiAddress, adminToken, '/group/create_group', {
      ownerUserID: peers[0],
      memberUserIDs: [userID],
      adminUserIDs: [],
      groupInfo: { groupName: `g${i}`, groupType: 2 },
    });
    const groupID = created.groupInfo.groupID;
    conversations.push({ conversationID: `sg_${groupID}`, target: groupID, group: true, senderID: peers[0]! });
  }
  return { apiAddress, adminToken, userID, conversations };
}

/** Sends one text into a conversation; resolves with its clientMsgID. */
export async function sendText(world: ChatWorld, c: Conversation, text: string): Promise<string> {
  const sent = await adminPost<{ clientMsgID: string }>(world.apiAddress, world.adminToken, '/msg/send_msg', {
    sendID: c.senderID,
    recvID: c.group ? '' : world.userID,
    groupID: c.group ? c.target : '',
    senderPlatformID: 1,
    content: { content: text },
    contentType: TEXT,
    sessionType: c.group ? GROUP : SINGLE,
  });
  return sent.clientMsgID;
}

/** `perConversation` texts into every conversation, round-robin; the texts, by conversation. */
export async function sendBurst(world: ChatWorld, perConversation: number, tag: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(world.conversations.map((c) => [c.conversationID, []]));
  for (let i = 0; i < perConversation; i++) {
    for (const c of world.conversations) {
      const text = `${tag} ${c.conversationID} #${i}`;
      await sendText(world, c, text);
      out.get(c.conversationID)!.push(text);
    }
  }
  return out;
}

function conversationOf(m: MessageItem): string {
  return m.groupID ? `sg_${m.groupID}` : `si_${[m.sendID, m.recvID].sort().join('_')}`;
}

/** Every message the app got as OnRecvNewMessages since `mark`, in arrival order. */
export function received(client: JssdkClient, mark: number): MessageItem[] {
  return client.events.history.slice(mark).filter((e) => e.event === 'OnRecvNewMessages').flatMap((e) => e.data as MessageItem[]);
}

/** Waits until the app has every text of `expected`; returns what it got, by conversation. */
export async function waitForAll(client: JssdkClient, mark: number, expected: Map<string, string[]>, timeoutMs: number): Promise<Map<string, MessageItem[]>> {
  const wanted = new Set([...expected.values()].flat());
  await waitUntil(() => {
    const got = new Set(received(client, mark).map((m) => m.textElem?.content ?? ''));
    return [...wanted].every((t) => got.has(t));
  }, `all ${wanted.size} messages`, timeoutMs);
  const byConversation = new Map<string, MessageItem[]>();
  for (const m of received(client, mark)) {
    const list = byConversation.get(conversationOf(m)) ?? [];
    list.push(m);
    byConversation.set(conversationOf(m), list);
  }
  return byConversation;
}

interface ServerConversation {
  conversation: { conversationID: string };
  lastMsg?: { clientMsgID?: string };
  /** Go omits zeros from its JSON. */
  maxSeq?: number;
  readSeq?: number;
}

/** The server's view of the user's conversations: unread count and the latest message's ID. */
export async function serverConversations(world: ChatWorld): Promise<Map<string, { unreadCount: number; latestClientMsgID: string }>> {
  const token = await userToken(world.apiAddress, world.adminToken, world.userID, 1);
  const r = await adminPost<{ conversations: ServerConversation[] }>(world.apiAddress, token, '/jssdk/get_active_conversations', { count: 100 });
  return new Map(r.conversations.map((c) => [c.conversation.conversationID, { unreadCount: (c.maxSeq ?? 0) - (c.readSeq ?? 0), latestClientMsgID: c.lastMsg?.clientMsgID ?? '' }]));
}

/** The app's view: the last OnConversationChanged / OnNewConversation entry of each conversation since `mark`. */
export function appConversations(client: JssdkClient, mark: number): Map<string, { unreadCount: number; latestClientMsgID: string }> {
  const out = new Map<string, { unreadCount: number; latestClientMsgID: string }>();
  for (const e of client.events.history.slice(mark)) {
    if (e.event !== 'OnConversationChanged' && e.event !== 'OnNewConversation') continue;
    for (const c of e.data as ConversationItem[]) {
      let latest = '';
      try {
        latest = (JSON.parse(c.latestMsg || '{}') as { clientMsgID?: string }).clientMsgID ?? '';
      } catch {
        latest = '';
      }
      out.set(c.conversationID, { unreadCount: c.unreadCount, latestClientMsgID: latest });
    }
  }
  return out;
}

/** Waits until the app's list agrees with the server for every conversation of the world. */
export async function waitForListInStep(client: JssdkClient, mark: number, world: ChatWorld, timeoutMs: number): Promise<void> {
  const server = await serverConversations(world);
  const ids = world.conversations.map((c) => c.conversationID);
  await waitUntil(() => {
    const app = appConversations(client, mark);
    return ids.every((id) => JSON.stringify(app.get(id)) === JSON.stringify(server.get(id)));
  }, 'the app\'s conversation list to match the server', timeoutMs).catch(() => undefined); // the expect below says how they differ
  const app = appConversations(client, mark);
  for (const id of ids) expect(app.get(id)).toEqual(server.get(id));
}

/** Each expected text exactly once, and per conversation in ascending seq order. */
export function expectExactlyOnceInOrder(got: Map<string, MessageItem[]>, expected: Map<string, string[]>): void {
  for (const [conversationID, texts] of expected) {
    const list = (got.get(conversationID) ?? []).filter((m) => texts.includes(m.textElem?.content ?? ''));
    expect(list.map((m) => m.textElem?.content)).toEqual(texts);
    const seqs = (got.get(conversationID) ?? []).map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  }
}
