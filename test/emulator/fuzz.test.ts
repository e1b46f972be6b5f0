import WebSocket from 'ws';
import { CbEvents } from '@openim/client-sdk';
import { registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

/** A small seeded PRNG so a failing case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20251123;
const CASES = 40;

describe('garbage on both ports', () => {
  const suite = emulatorSuite();

  it('answers malformed REST bodies with ArgsError and keeps serving', async () => {
    for (const body of ['{', '[1,2', '\u0000\u0001', '{"userIDs":5}', 'null']) {
      const res = await fetch(`${suite.server.apiAddress}/user/get_users_info`, { method: 'POST', headers: { token: suite.admin, operationID: 'fuzz' }, body });
      const json = (await res.json()) as { errCode: number };
      expect(json.errCode).toBe(1001);
    }
    const unknown = await fetch(`${suite.server.apiAddress}/no/such/route`, { method: 'POST', headers: { token: suite.admin, operationID: 'fuzz' }, body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('answers every random or truncated REST body with an error envelope', async () => {
    const rnd = mulberry32(SEED);
    const valid = JSON.stringify({ userIDs: ['a', 'b'], conversationID: 'si_a_b', seq: 1, userID: 'a' });
    const paths = ['/user/get_users_info', '/msg/revoke_msg', '/conversation/set_conversations', '/msg/send_msg', '/jssdk/get_active_conversations'];
    for (let i = 0; i < CASES; i++) {
      const path = paths[Math.floor(rnd() * paths.length)];
      const body = rnd() < 0.5
        ? valid.slice(0, Math.floor(rnd() * (valid.length - 1)))
        : Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      const protobuf = path.startsWith('/jssdk') && rnd() < 0.5;
      const res = await fetch(suite.server.apiAddress + path, {
        method: 'POST',
        headers: { token: suite.admin, operationID: `fuzz-${i}`, 'Content-Type': protobuf ? 'application/x-protobuf' : 'application/json' },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as { errCode: number };
      expect(typeof json.errCode).toBe('number');
    }
  });

  it('answers or closes on random gateway frames, one connection at a time, and keeps serving', async () => {
    const rnd = mulberry32(SEED + 1);
    const userID = uniqueUserID('rnd');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID }]);
    const token = await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID);
    const identifiers = [1001, 1002, 1003, 1004, 1005, 1006, 2003, 2004, 2005, 3001, 7];
    for (let i = 0; i < CASES; i++) {
      const ws = new WebSocket(`${suite.server.wsAddress}/?sendID=${userID}&token=${token}&platformID=${WEB_PLATFORM_ID}&operationID=r&isBackground=false&isMsgResp=true`);
      await new Promise((resolve) => ws.once('message', resolve));
      const random = Buffer.from(Array.from({ length: Math.floor(rnd() * 48) }, () => Math.floor(rnd() * 256)));
      const request = JSON.stringify({
        reqIdentifier: identifiers[Math.floor(rnd() * identifiers.length)],
        sendID: userID,
        operationID: `op${i}`,
        msgIncr: `m${i}`,
        data: random.toString('base64'),
      });
      const frame = rnd() < 0.3 ? random : rnd() < 0.5 ? Buffer.from(request.slice(0, Math.floor(rnd() * request.length))) : Buffer.from(request);
      const outcome = new Promise<string>((resolve) => {
        ws.once('message', (d) => resolve(`reply ${String(d)}`));
        ws.once('close', () => resolve('closed'));
      });
      ws.send(frame);
      const result = await outcome;
      if (result.startsWith('reply')) expect(JSON.parse(result.slice(6))).toEqual(expect.objectContaining({ msgIncr: `m${i}` }));
      ws.terminate();
    }
    const other = uniqueUserID('after');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: other }]);
    const c = await loggedInClient({ userID: other, token: await userToken(suite.server.apiAddress, suite.admin, other, WEB_PLATFORM_ID), wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    await c.dispose();
  });

  it('closes a gateway connection that sends garbage, without affecting another client', async () => {
    const userID = uniqueUserID('fuzz');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID }]);
    const token = await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID);
    const other = uniqueUserID('calm');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: other }]);
    const calm = await loggedInClient({ userID: other, token: await userToken(suite.server.apiAddress, suite.admin, other, WEB_PLATFORM_ID), wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    try {
      const frames: Array<Buffer | string> = [Buffer.from('{"reqIdentifier":'), Buffer.from([0xff, 0x00, 0x13]), 'not json', Buffer.from(JSON.stringify({ reqIdentifier: 9999, sendID: userID, operationID: 'x', msgIncr: '1', data: '' }))];
      for (const frame of frames) {
        const ws = new WebSocket(`${suite.server.wsAddress}/?sendID=${userID}&token=${token}&platformID=${WEB_PLATFORM_ID}&operationID=f&isBackground=false&isMsgResp=true`);
        const first = await new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
        expect(JSON.parse(first)).toEqual({ errCode: 0, errMsg: '', errDlt: '' });
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        ws.send(frame);
        await closed;
      }
      // an undecodable protobuf is answered (ServerInternalError), not dropped
      const ws = new WebSocket(`${suite.server.wsAddress}/?sendID=${userID}&token=${token}&platformID=${WEB_PLATFORM_ID}&operationID=f&isBackground=false&isMsgResp=true`);
      await new Promise((resolve) => ws.once('message', resolve));
      const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
      ws.send(Buffer.from(JSON.stringify({ reqIdentifier: 1003, sendID: userID, operationID: 'x', msgIncr: '7', data: Buffer.from([0x0a, 0xff]).toString('base64') })));
      const resp = JSON.parse(await reply) as { errCode: number; msgIncr: string };
      expect(resp.errCode).toBe(500);
      expect(resp.msgIncr).toBe('7');
      ws.close();
      const self = await calm.sdk.getSelfUserInfo();
      expect(self.data.userID).toBe(other);
      expect(calm.events.all(CbEvents.OnKickedOffline)).toHaveLength(0);
    } finally {
      await calm.dispose();
    }
  });
});
