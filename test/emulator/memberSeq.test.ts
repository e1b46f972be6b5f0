/**
 * What a member sees live when it leaves or joins a group, per release: push_handler.go
 * groupMessagesHandler pushes both copies of a quit/kick tip (`sg_` and `n_`) to the leavers and
 * runs DeleteMemberAndSetConversationSeq for each; the group rpc runs it once more; and
 * SetConversationMaxSeq announces ConversationChangeNotification (1300) from v3.8.3, while
 * setMemberJoinSeq (v3.8.3-patch.14+) announces one on invite, direct join and accepted
 * application, never on create.
 */
import type { SdkWsProto } from '@openim/protocol';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { testProfile } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';
import type { GatewayClient } from './gatewayClient';

const CONVERSATION_CHANGED = 1300;

function detailOf(m: SdkWsProto.MsgData): Record<string, unknown> {
  return JSON.parse((JSON.parse(Buffer.from(m.content).toString('utf8')) as { detail: string }).detail) as Record<string, unknown>;
}

/** The 1300s naming `conversationID`. */
const changesOf = (gw: GatewayClient, conversationID: string): number =>
  gw.pushed().filter((m) => m.contentType === CONVERSATION_CHANGED && (detailOf(m).conversationIDList as string[]).includes(conversationID)).length;

describe('group leave and join as the leaver and the joiner see them live', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;
  const profile = testProfile();
  /** 1300s per SetConversationMaxSeq call: none in v3.8.0. */
  const perCall = profile.memberSeqRules === 'v3.8.0' ? 0 : 1;

  /** A text message as the last push, so that everything before it has arrived. */
  async function sentinel(gw: GatewayClient, from: string, to: string, text: string): Promise<void> {
    await adminPost(api(), suite.admin, '/msg/send_msg', { sendID: from, recvID: to, senderPlatformID: 1, content: { content: text }, contentType: 101, sessionType: 1 });
    await gw.next(() => gw.pushed().some((m) => Buffer.from(m.content).toString('utf8').includes(text)));
  }

  async function groupWith(owner: string, members: string[]): Promise<string> {
    const created = await adminPost<{ groupInfo: { groupID: string } }>(api(), suite.admin, '/group/create_group', { ownerUserID: owner, memberUserIDs: members, groupInfo: { groupName: 'seq', groupType: 2 } });
    return created.groupInfo.groupID;
  }

  it('a quitter gets both copies of its quit tip and one 1300 per SetConversationMaxSeq (rpc + two copies)', async () => {
    const owner = await suite.newUser('qo');
    const quitter = await suite.newUser('qq');
    const groupID = await groupWith(owner, [quitter]);
    const token = await userToken(api(), suite.admin, quitter, WEB_PLATFORM_ID);
    const gw = await gatewayClient(suite.server.wsAddress, quitter, token);
    try {
      await adminPost(api(), token, '/group/quit_group', { groupID });
      await sentinel(gw, owner, quitter, 'after-quit');
      const tips = gw.pushedIn().filter((p) => p.msg.contentType === 1504);
      expect(tips.map((p) => p.conversationID)).toEqual([`sg_${groupID}`, `n_${groupID}`]);
      expect(changesOf(gw, `sg_${groupID}`)).toBe(3 * perCall);
    } finally {
      gw.ws.close();
    }
  });

  it('a kicked member gets both copies of the kick tip, and can pull up to it', async () => {
    const owner = await suite.newUser('ko');
    const kicked = await suite.newUser('kk');
    const groupID = await groupWith(owner, [kicked]);
    const gw = await gatewayClient(suite.server.wsAddress, kicked, await userToken(api(), suite.admin, kicked, WEB_PLATFORM_ID));
    try {
      await adminPost(api(), suite.admin, '/group/kick_group', { groupID, kickedUserIDs: [kicked] });
      await sentinel(gw, owner, kicked, 'after-kick');
      const tips = gw.pushedIn().filter((p) => p.msg.contentType === 1508);
      expect(tips.map((p) => p.conversationID)).toEqual([`sg_${groupID}`, `n_${groupID}`]);
      expect(changesOf(gw, `sg_${groupID}`)).toBe(3 * perCall);
      const conversation = await adminPost<{ conversation: { maxSeq: number } }>(api(), suite.admin, '/conversation/get_conversation', { ownerUserID: kicked, conversationID: `sg_${groupID}` });
      expect(conversation.conversation.maxSeq).toBe(tips[0]!.msg.seq);
    } finally {
      gw.ws.close();
    }
  });

  it('1300 on joining: after invite, direct join and accepted application from patch.14, never on create', async () => {
    const owner = await suite.newUser('jo');
    const created = await suite.newUser('jc');
    const invited = await suite.newUser('ji');
    const joiner = await suite.newUser('jj');
    const applicant = await suite.newUser('ja');
    const gws = await Promise.all(
      [created, invited, joiner, applicant].map(async (u) => gatewayClient(suite.server.wsAddress, u, await userToken(api(), suite.admin, u, WEB_PLATFORM_ID))),
    );
    const [gwCreated, gwInvited, gwJoiner, gwApplicant] = gws as [GatewayClient, GatewayClient, GatewayClient, GatewayClient];
    try {
      const groupID = await groupWith(owner, [created]);
      await adminPost(api(), suite.admin, '/group/invite_user_to_group', { groupID, invitedUserIDs: [invited] });
      // needVerification 2 (Directly): join_group adds the member at once
      await adminPost(api(), suite.admin, '/group/set_group_info', { groupInfoForSet: { groupID, needVerification: 2 } });
      await adminPost(api(), await userToken(api(), suite.admin, joiner, WEB_PLATFORM_ID), '/group/join_group', { groupID, joinSource: 3, inviterUserID: joiner });
      // the default 0 (ApplyNeedVerificationInviteDirectly): an application the owner accepts
      const verified = await groupWith(owner, []);
      await adminPost(api(), await userToken(api(), suite.admin, applicant, WEB_PLATFORM_ID), '/group/join_group', { groupID: verified, joinSource: 3, reqMessage: 'hi', inviterUserID: applicant });
      await adminPost(api(), suite.admin, '/group/group_application_response', { groupID: verified, fromUserID: applicant, handledMsg: '', handleResult: 1 });
      for (const [gw, user] of [[gwCreated, created], [gwInvited, invited], [gwJoiner, joiner], [gwApplicant, applicant]] as const) await sentinel(gw, owner, user, `joined-${user}`);
      const onJoin = profile.memberSeqRules === 'patch.14' ? 1 : 0;
      expect(changesOf(gwCreated, `sg_${groupID}`)).toBe(0);
      expect(changesOf(gwInvited, `sg_${groupID}`)).toBe(onJoin);
      expect(changesOf(gwJoiner, `sg_${groupID}`)).toBe(onJoin);
      expect(changesOf(gwApplicant, `sg_${verified}`)).toBe(onJoin);
    } finally {
      for (const gw of gws) gw.ws.close();
    }
  });
});
