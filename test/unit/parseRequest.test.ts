import { parseRequest, sniffIds } from '../../gate/parseRequest';

const frame = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));

describe('parseRequest', () => {
  it('decodes the jssdk request frame and its double-encoded data array', () => {
    const r = parseRequest(frame({ reqFuncName: 'SendMessage', operationID: 'op1', userID: 'u1', data: JSON.stringify([JSON.stringify({ a: 1 }), 'r', '', '{}', false]) }));
    expect(r).toEqual({ ok: true, request: { reqFuncName: 'SendMessage', operationID: 'op1', userID: 'u1', args: ['{"a":1}', 'r', '', '{}', false] } });
  });

  it('treats a missing data field and "[]" alike', () => {
    const a = parseRequest(frame({ reqFuncName: 'GetLoginStatus', operationID: 'x' }));
    const b = parseRequest(frame({ reqFuncName: 'GetLoginStatus', operationID: 'x', data: '[]' }));
    expect(a).toEqual(b);
    expect(a.ok && a.request.args).toEqual([]);
  });

  it.each([
    ['not JSON', '{"reqFuncName":', 'frame is not valid JSON'],
    ['a JSON array', '[1,2]', 'frame must be a JSON object'],
    ['null', 'null', 'frame must be a JSON object'],
    ['a number reqFuncName', { reqFuncName: 5, operationID: 'o' }, 'reqFuncName must be a non-empty string'],
    ['an empty operationID', { reqFuncName: 'A', operationID: '' }, 'operationID must be a non-empty string'],
    ['data as an array', { reqFuncName: 'A', operationID: 'o', data: [1] }, 'data must be a string holding a JSON array'],
    ['data not JSON', { reqFuncName: 'A', operationID: 'o', data: '[1' }, 'data is not valid JSON'],
    ['data an object', { reqFuncName: 'A', operationID: 'o', data: '{"a":1}' }, 'data must hold a JSON array of arguments'],
  ])('refuses %s with a reason', (_what, input, reason) => {
    const r = parseRequest(frame(input));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('keeps the operationID of a frame it refuses, so the client can settle its promise', () => {
    const r = parseRequest(frame({ reqFuncName: 'A', operationID: 'keep-me', data: '[1' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.operationID).toBe('keep-me');
  });

  it('refuses invalid UTF-8', () => {
    const r = parseRequest(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(r).toMatchObject({ ok: false, reason: 'frame is not valid UTF-8' });
  });

  it('finds ids in the head of a frame it cannot parse', () => {
    expect(sniffIds('{"reqFuncName":"SendMessage","operationID":"abc-1","data":"[\\"xxxx')).toEqual({ reqFuncName: 'SendMessage', operationID: 'abc-1' });
  });
});
