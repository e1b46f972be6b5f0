/** The HTTP/1.1 reply parser of the upstream client, fed bytes as a socket could split them. */
import { MAX_HEAD_BYTES, ReplyParseError, ReplyParser } from '../../core_func/upstream/http1/replyParser';

interface Parsed {
  status: number;
  statusText: string;
  headers: Record<string, unknown>;
  body: string;
  reusable: boolean;
}

/** Feeds `pieces` in order; the reply must complete on the last one. */
function parse(...pieces: (string | Buffer)[]): Parsed {
  const p = new ReplyParser();
  pieces.forEach((piece, i) => {
    const done = p.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'latin1'));
    expect([i, done]).toEqual([i, i === pieces.length - 1]);
  });
  return { status: p.status, statusText: p.statusText, headers: { ...p.headers }, body: p.body().toString('latin1'), reusable: p.reusable };
}

/** Every way of cutting `raw` in two, and byte by byte, gives the same reply as in one piece. */
function expectSameAtEverySplit(raw: string): Parsed {
  const whole = parse(raw);
  for (let cut = 1; cut < raw.length; cut++) expect(parse(raw.slice(0, cut), raw.slice(cut))).toEqual(whole);
  expect(parse(...raw.split(''))).toEqual(whole);
  return whole;
}

const parseError = (...pieces: string[]) => {
  const p = new ReplyParser();
  try {
    for (const piece of pieces) p.push(Buffer.from(piece, 'latin1'));
  } catch (err) {
    expect(err).toBeInstanceOf(ReplyParseError);
    return (err as Error).message;
  }
  throw new Error('no parse error');
};

describe('upstream HTTP/1.1 reply parser', () => {
  it('reads a Content-Length body, keeping the connection reusable', () => {
    const r = expectSameAtEverySplit('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"errCode":0}');
    expect(r).toEqual({ status: 200, statusText: 'OK', headers: { 'content-type': 'application/json', 'content-length': '13' }, body: '{"errCode":0}', reusable: true });
  });

  it('reads a chunked body with extensions and trailers, after skipping interim replies', () => {
    const raw =
      'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
      '5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Sum: 42\r\nX-More: 1\r\n\r\n';
    const r = expectSameAtEverySplit(raw);
    expect(r).toEqual({ status: 200, statusText: 'OK', headers: { 'transfer-encoding': 'chunked', trailer: 'X-Sum' }, body: 'hello, world!!!', reusable: true });
  });

  it('ends a chunked body without trailers at the empty line', () => {
    const r = expectSameAtEverySplit('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    expect([r.body, r.reusable]).toEqual(['abc', true]);
  });

  it('lower-cases header names and joins duplicates as Node does', () => {
    const r = parse(
      'HTTP/1.1 418 I\'m a teapot\r\nX-Dup: a\r\nx-dup:b\r\nSet-Cookie: s=1\r\nSET-COOKIE: t=2\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\nCookie: c=1\r\nCookie: d=2\r\nX-Pad:   v  \r\nContent-Length: 0\r\n\r\n',
    );
    expect(r.statusText).toBe('I\'m a teapot');
    expect(r.headers).toEqual({ 'x-dup': 'a, b', 'set-cookie': ['s=1', 't=2'], 'content-type': 'text/plain', cookie: 'c=1; d=2', 'x-pad': 'v', 'content-length': '0' });
  });

  it('keeps no body for 204, 304 and 205 replies', () => {
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n')).toMatchObject({ status: 204, body: '', reusable: true });
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n')).toMatchObject({ status: 304, body: '', reusable: true });
    expect(parse('HTTP/1.1 205 Reset Content\r\nContent-Length: 2\r\n\r\nxx')).toMatchObject({ status: 205, body: '', reusable: true });
  });

  it('reads a body without length up to the end of the connection, which is then not reused', () => {
    const p = new ReplyParser();
    expect(p.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one, '))).toBe(false);
    expect(p.push(Buffer.from('part two'))).toBe(false);
    expect(p.end()).toBe(true);
    expect([p.body().toString(), p.reusable]).toEqual(['part one, part two', false]);
  });

  it('reports a reply cut short by the end of the connection as incomplete', () => {
    const p = new ReplyParser();
    expect(p.started).toBe(false);
    p.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect([p.started, p.end()]).toEqual([true, false]);
  });

  it('does not reuse a connection the reply closes, or one left with stray bytes', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx').reusable).toBe(false);
    expect(parse('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 1\r\n\r\nx').reusable).toBe(false);
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx').reusable).toBe(false);
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx').reusable).toBe(true);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n').reusable).toBe(false);
    // Both framings: read by the coding, then the connection is dropped.
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n')).toMatchObject({ body: 'x', reusable: false });
  });

  it('reads the server\'s keep-alive idle time', () => {
    const p = new ReplyParser();
    p.push(Buffer.from('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n'));
    expect(p.serverIdleMs).toBe(5_000);
    const q = new ReplyParser();
    q.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(q.serverIdleMs).toBeUndefined();
  });

  it('refuses replies that break the framing', () => {
    expect(parseError('HTTP/2 200 OK\r\n\r\n')).toMatch(/invalid status line/);
    expect(parseError('HTTP/1.1 20 OK\r\n\r\n')).toMatch(/invalid status line/);
    expect(parseError('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')).toMatch(/invalid header line/);
    expect(parseError('HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n')).toMatch(/invalid header line/);
    expect(parseError('HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n')).toMatch(/invalid header line/);
    expect(parseError('HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n')).toMatch(/invalid Content-Length/);
    expect(parseError('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toMatch(/invalid Content-Length/);
    expect(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toMatch(/invalid chunk size/);
    expect(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX')).toMatch(/not followed by CRLF/);
  });

  it('refuses a header section over the limit, even when it never ends', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`;
    expect(parseError(big)).toMatch(`reply head longer than ${MAX_HEAD_BYTES} bytes`);
    const pieces = ['HTTP/1.1 200 OK\r\nX-Big: ', ...Array.from({ length: 70 }, () => 'a'.repeat(1024))];
    expect(parseError(...pieces)).toMatch('reply head longer than');
    expect(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '1'.repeat(2000))).toMatch('chunk-size line longer than');
  });
});
