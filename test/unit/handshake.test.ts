import { readConnectParams } from '../../gate/handshake';

const req = (query: string, headers: Record<string, string> = {}) => ({ url: new URL(`ws://h/${query}`), headers, remoteAddress: '127.0.0.1' });

describe('readConnectParams', () => {
  it('reads the jssdk connect URL', () => {
    expect(readConnectParams(req('?sendID=u1&token=t&platformID=5&operationID=op'))).toEqual({
      accept: true,
      context: { sendID: 'u1', token: 't', platformID: 5, operationID: 'op', remoteAddress: '127.0.0.1', codec: 'json' },
    });
  });

  it('takes the token from Authorization: Bearer when the query has none', () => {
    const d = readConnectParams(req('?sendID=u1&platformID=5', { authorization: 'Bearer abc.def' }));
    expect(d.accept && d.context.token).toBe('abc.def');
  });

  it('makes up an operationID when the URL has none', () => {
    const d = readConnectParams(req('?sendID=u1&token=t&platformID=5'));
    expect(d.accept && d.context.operationID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('selects msgpack by subprotocol or by the codec parameter', () => {
    const bySub = readConnectParams(req('?sendID=u&token=t&platformID=5', { 'sec-websocket-protocol': 'openim.msgpack.v1' }));
    const byQuery = readConnectParams(req('?sendID=u&token=t&platformID=5&codec=msgpack'));
    expect(bySub.accept && bySub.context.codec).toBe('msgpack');
    expect(byQuery.accept && byQuery.context.codec).toBe('msgpack');
  });

  it.each([
    ['?sendID=u&token=t&platformID=5&codec=xml', 400, 'unknown codec (json or msgpack)'],
    ['?token=t&platformID=5', 400, 'missing sendID'],
    ['?sendID=u&platformID=5', 401, 'missing token'],
    ['?sendID=u&token=t', 400, 'platformID must be a number'],
    ['?sendID=u&token=t&platformID=web', 400, 'platformID must be a number'],
    ['?sendID=u&token=t&platformID=0', 400, 'unknown platformID'],
    ['?sendID=u&token=t&platformID=99', 400, 'unknown platformID'],
  ])('refuses %s with HTTP %i', (query, status, reason) => {
    expect(readConnectParams(req(query))).toEqual({ accept: false, status, reason });
  });
});
