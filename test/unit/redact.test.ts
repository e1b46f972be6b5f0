import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';
import { redactText } from '../../common/redact';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJVc2VySUQiOiJ1MSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('token redaction', () => {
  it('scrubs tokens from query strings, bearer headers and bare JWTs', () => {
    expect(redactText(`/?sendID=u1&token=${jwt}&platformID=5`)).toBe('/?sendID=u1&token=[redacted]&platformID=5');
    expect(redactText('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
    expect(redactText(`login with ${jwt} failed`)).toBe('login with [redacted] failed');
  });

  it('never lets a token reach a log line, whatever field it hides in', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', sink);
    log.info({ token: jwt, url: `/?token=${jwt}`, nested: { token: jwt } }, `message with ${jwt}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(jwt);
    expect(JSON.parse(lines[0]!)).toMatchObject({ token: '[redacted]', url: '/?token=[redacted]', nested: { token: '[redacted]' }, msg: 'message with [redacted]' });
  });

  it('scrubs the password of a URL (a Redis state store address), keeping user, host and port', () => {
    expect(redactText('cannot use redis://bridge:s3cr@t@10.0.0.5:6379/3')).not.toContain('s3cr');
    expect(redactText('state store redis://bridge:s3cret@10.0.0.5:6379/3')).toBe('state store redis://bridge:[redacted]@10.0.0.5:6379/3');
    expect(redactText('rediss://:s3cret@cache:6380')).toBe('rediss://:[redacted]@cache:6380');
    expect(redactText('redis://10.0.0.5:6379/3 and http://example.com/a:b@c')).toBe('redis://10.0.0.5:6379/3 and http://example.com/a:b@c');
  });
});
