import { arg, ArgError, decodeArgs } from '../../core_func/args';

describe('argument decoders', () => {
  it('decode the jssdk\'s double-encoded objects and plain values', () => {
    const specs = [arg.object('message'), arg.string('recvID'), arg.optionalBoolean('isOnlineOnly', false)] as const;
    expect(decodeArgs(specs, ['{"clientMsgID":"c"}', 'r'])).toEqual([{ clientMsgID: 'c' }, 'r', false]);
  });

  it.each([
    [[arg.string('text')], [5], 'argument text must be a string, got number'],
    [[arg.string('text')], [], 'missing argument text (position 1 of 1)'],
    [[arg.string('text')], ['a', 'b'], 'expected at most 1 argument(s), got 2'],
    [[arg.object('message')], ['not json'], 'argument message must be a JSON string, got unparseable text'],
    [[arg.object('message')], ['[1]'], 'argument message must be a JSON object, got array'],
    [[arg.number('count')], [Number.NaN], 'argument count must be a finite number, got number'],
    [[arg.stringList('userIDs')], ['["a",1]'], 'argument userIDs must be a JSON array of strings, got array'],
  ])('name the argument that is wrong (%#)', (specs, raw, message) => {
    expect(() => decodeArgs(specs, raw)).toThrow(new ArgError(message));
  });

  it('refuse objects nested past the limit instead of walking them', () => {
    let deep = '1';
    for (let i = 0; i < 200; i++) deep = `{"a":${deep}}`;
    expect(() => decodeArgs([arg.object('o')], [deep])).toThrow(/nested too deeply/);
  });
});
