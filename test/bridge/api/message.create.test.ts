/**
 * Create*Message methods, end to end: each builds the MessageItem the jssdk declares, and the
 * message arrives at the other user as sent.
 */
import type { MessageItem } from 'open-im-sdk';
import { CLIENT_MODES, type JssdkClient } from '../../support/jssdk';
import { errCodeOf, startSuite, type Suite, itSentFramesInTheClientsKind } from './messageSupport';

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  let s: Suite;
  let ca: JssdkClient;
  let cb: JssdkClient;
  let a: string;
  let b: string;

  beforeAll(async () => {
    s = await startSuite(mode);
    [a, b] = (await s.fx.newUsers('mc', 2)) as [string, string];
    ca = await s.login(a);
    cb = await s.login(b);
  });
  afterAll(async () => {
    await s.close();
  });

  /** Sends `message` from A to B and returns it as B received it. */
  async function deliver(message: MessageItem): Promise<MessageItem> {
    const mark = cb.events.mark();
    const sent = (await ca.sdk.sendMessage({ recvID: b, groupID: '', message })).data;
    expect(sent).toMatchObject({ clientMsgID: message.clientMsgID, status: 2, sendID: a, recvID: b });
    const e = await cb.events.waitFor('OnRecvNewMessages', (ev) => (ev.data as MessageItem[]).some((m) => m.clientMsgID === message.clientMsgID), undefined, mark);
    return (e.data as MessageItem[]).find((m) => m.clientMsgID === message.clientMsgID)!;
  }

  const pic = (uuid: string, w: number) => ({ uuid, type: 'image/png', size: 1234, width: w, height: w, url: `https://files.example/${uuid}.png` });

  describe('Building messages', () => {
    it('CreateTextAtMessage mentions users and may quote a message', async () => {
      const quoted = (await ca.sdk.createTextMessage('the quoted one')).data;
      const m = (await ca.sdk.createTextAtMessage({ text: `@${b} look`, atUserIDList: [b], atUsersInfo: [{ atUserID: b, groupNickname: 'bee' }], message: quoted })).data;
      expect(m).toMatchObject({ contentType: 106, sendID: a, status: 1, textElem: null });
      expect(m.atTextElem).toMatchObject({ text: `@${b} look`, atUserList: [b], atUsersInfo: [{ atUserID: b, groupNickname: 'bee' }] });
      expect(m.atTextElem.quoteMessage).toMatchObject({ clientMsgID: quoted.clientMsgID });
      const plain = (await ca.sdk.createTextAtMessage({ text: 'no quote', atUserIDList: [b] })).data;
      expect(plain.atTextElem).toMatchObject({ text: 'no quote', atUserList: [b] });
      const got = await deliver(plain);
      expect(got).toMatchObject({ contentType: 106, atTextElem: { text: 'no quote', atUserList: [b] } });
      expect(await errCodeOf(ca.sdk.createTextAtMessage({ text: 'x', atUserIDList: 'b' as unknown as string[] }))).toBe(10001);
    });

    it('CreateImageMessageByURL, CreateSoundMessageByURL, CreateVideoMessageByURL and CreateFileMessageByURL carry the uploaded files', async () => {
      const image = (await ca.sdk.createImageMessageByURL({ sourcePath: '/a.png', sourcePicture: pic('s1', 800), bigPicture: pic('b1', 800), snapshotPicture: pic('n1', 200) })).data;
      expect(image).toMatchObject({ contentType: 102, pictureElem: { sourcePath: '/a.png', sourcePicture: pic('s1', 800), snapshotPicture: pic('n1', 200) } });
      expect((await deliver(image)).pictureElem).toMatchObject({ sourcePicture: { url: 'https://files.example/s1.png', width: 800 } });

      const sound = (await ca.sdk.createSoundMessageByURL({ uuid: 'snd', soundPath: '/a.mp3', sourceUrl: 'https://files.example/a.mp3', dataSize: 99, duration: 7 })).data;
      expect(sound).toMatchObject({ contentType: 103, soundElem: { uuid: 'snd', sourceUrl: 'https://files.example/a.mp3', duration: 7 } });
      expect((await deliver(sound)).soundElem).toMatchObject({ sourceUrl: 'https://files.example/a.mp3', dataSize: 99 });

      const videoParams = {
        videoPath: '/v.mp4', duration: 12, videoType: 'mp4', snapshotPath: '/v.png', videoUUID: 'vid', videoUrl: 'https://files.example/v.mp4', videoSize: 5000,
        snapshotUUID: 'vsn', snapshotSize: 300, snapshotUrl: 'https://files.example/v.png', snapshotWidth: 320, snapshotHeight: 240,
      };
      const video = (await ca.sdk.createVideoMessageByURL(videoParams)).data;
      expect(video).toMatchObject({ contentType: 104, videoElem: videoParams });
      expect((await deliver(video)).videoElem).toMatchObject({ videoUrl: 'https://files.example/v.mp4', snapshotWidth: 320 });

      const file = (await ca.sdk.createFileMessageByURL({ filePath: '/r.pdf', fileName: 'r.pdf', uuid: 'fil', sourceUrl: 'https://files.example/r.pdf', fileSize: 42 })).data;
      expect(file).toMatchObject({ contentType: 105, fileElem: { fileName: 'r.pdf', fileSize: 42 } });
      expect((await deliver(file)).fileElem).toMatchObject({ sourceUrl: 'https://files.example/r.pdf' });

      expect(await errCodeOf(ca.sdk.createImageMessageByURL({ sourcePath: 5 as unknown as string, sourcePicture: pic('x', 1), bigPicture: pic('x', 1), snapshotPicture: pic('x', 1) }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createSoundMessageByURL('not json' as never))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createVideoMessageByURL('[1]' as never))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createFileMessageByURL(7 as never))).toBe(10001);
    });

    it('CreateLocationMessage, CreateCustomMessage, CreateCardMessage and CreateFaceMessage', async () => {
      const loc = (await ca.sdk.createLocationMessage({ description: 'harbour', longitude: 121.5, latitude: 31.2 })).data;
      expect(loc).toMatchObject({ contentType: 109, locationElem: { description: 'harbour', longitude: 121.5, latitude: 31.2 } });
      expect((await deliver(loc)).locationElem).toEqual({ description: 'harbour', longitude: 121.5, latitude: 31.2 });

      const custom = (await ca.sdk.createCustomMessage({ data: '{"k":1}', extension: 'ext', description: 'desc' })).data;
      expect(custom).toMatchObject({ contentType: 110, customElem: { data: '{"k":1}', extension: 'ext', description: 'desc' } });
      expect((await deliver(custom)).customElem).toEqual({ data: '{"k":1}', extension: 'ext', description: 'desc' });

      const card = (await ca.sdk.createCardMessage({ userID: 'someone', nickname: 'Some One', faceURL: '', ex: '' })).data;
      expect(card).toMatchObject({ contentType: 108, cardElem: { userID: 'someone', nickname: 'Some One' } });
      expect((await deliver(card)).cardElem).toMatchObject({ userID: 'someone', nickname: 'Some One' });

      const face = (await ca.sdk.createFaceMessage({ index: 3, data: 'smile' })).data;
      expect(face).toMatchObject({ contentType: 115, faceElem: { index: 3, data: 'smile' } });
      expect((await deliver(face)).faceElem).toEqual({ index: 3, data: 'smile' });

      expect(await errCodeOf(ca.sdk.createLocationMessage({ description: 'x', longitude: '1' as unknown as number, latitude: 2 }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createCustomMessage({ data: {} as unknown as string, extension: '', description: '' }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createCardMessage('nope' as never))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createFaceMessage({ index: 'one' as unknown as number, data: '' }))).toBe(10001);
    });

    it('CreateQuoteMessage, CreateMergerMessage and CreateForwardMessage reuse sent messages', async () => {
      const original = (await ca.sdk.createTextMessage('original words')).data;
      const sentOriginal = (await ca.sdk.sendMessage({ recvID: b, groupID: '', message: original })).data;

      const quote = (await ca.sdk.createQuoteMessage({ text: 'replying', message: JSON.stringify(sentOriginal) })).data;
      expect(quote).toMatchObject({ contentType: 114, quoteElem: { text: 'replying', quoteMessage: { clientMsgID: original.clientMsgID } } });
      const gotQuote = await deliver(quote);
      expect(gotQuote.quoteElem).toMatchObject({ text: 'replying', quoteMessage: { clientMsgID: original.clientMsgID, textElem: { content: 'original words' } } });

      const merger = (await ca.sdk.createMergerMessage({ messageList: [sentOriginal], title: 'chat log', summaryList: ['a: original words'] })).data;
      expect(merger).toMatchObject({ contentType: 107, mergeElem: { title: 'chat log', abstractList: ['a: original words'] } });
      expect(merger.mergeElem.multiMessage[0]).toMatchObject({ clientMsgID: original.clientMsgID });
      expect((await deliver(merger)).mergeElem).toMatchObject({ title: 'chat log', abstractList: ['a: original words'] });

      const forward = (await ca.sdk.createForwardMessage(sentOriginal)).data;
      expect(forward).toMatchObject({ contentType: 101, status: 1, seq: 0, textElem: { content: 'original words' } });
      expect(forward.clientMsgID).not.toBe(original.clientMsgID);
      expect((await deliver(forward)).textElem).toEqual({ content: 'original words' });

      expect(await errCodeOf(ca.sdk.createQuoteMessage({ text: 'x', message: 'not json' }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createMergerMessage({ messageList: 'x' as never, title: 't', summaryList: [] }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.createForwardMessage('x' as never))).toBe(10001);
      // only sent messages can be forwarded (the client SDK's ArgsError)
      expect(await errCodeOf(ca.sdk.createForwardMessage(original))).toBe(10002);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
