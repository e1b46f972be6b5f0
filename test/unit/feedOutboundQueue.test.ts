/** The feed's outbound queue (feed/outboundQueue.ts): order, and its bounds by count and by bytes. */
import { OutboundQueue } from '../../feed/outboundQueue';
import type { FeedFrame } from '../../feed/frame';

const f = (n: number, data: unknown = n): FeedFrame => ({ event: 'OnRecvNewMessages', data, operationID: `op${n}`, errCode: 0, errMsg: '' });

describe('OutboundQueue', () => {
  it('hands frames over in order, head first', () => {
    const q = new OutboundQueue({ maxEvents: 10, maxBytes: 1 << 20 });
    for (let i = 1; i <= 3; i++) expect(q.push(f(i))).toBe(true);
    expect(q.size).toBe(3);
    expect(q.peek()?.operationID).toBe('op1');
    q.shift();
    expect(q.peek()?.operationID).toBe('op2');
    expect(q.takeAll().map((x) => x.operationID)).toEqual(['op2', 'op3']);
    expect(q.size).toBe(0);
    expect(q.byteSize).toBe(0);
  });

  it('refuses the frame past max events and keeps nothing', () => {
    const q = new OutboundQueue({ maxEvents: 3, maxBytes: 1 << 20 });
    for (let i = 1; i <= 3; i++) expect(q.push(f(i))).toBe(true);
    expect(q.push(f(4))).toBe(false);
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
  });

  it('refuses the frame past max bytes (the data\'s JSON length plus a frame\'s overhead) and keeps nothing', () => {
    const q = new OutboundQueue({ maxEvents: 100, maxBytes: 1_000 });
    expect(q.push(f(1, 'x'.repeat(500)))).toBe(true);
    const one = q.byteSize;
    expect(one).toBeGreaterThan(500);
    expect(q.push(f(2, 'x'.repeat(1_000 - one)))).toBe(false);
    expect(q.size).toBe(0);
    expect(q.byteSize).toBe(0);
  });

  it('gives the bytes of a written frame back, and keeps order across a long backlog', () => {
    const q = new OutboundQueue({ maxEvents: 10_000, maxBytes: 1 << 24 });
    for (let i = 0; i < 5_000; i++) q.push(f(i));
    const full = q.byteSize;
    const seen: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      seen.push(q.peek()!.operationID);
      q.shift();
    }
    expect(seen[2_999]).toBe('op2999');
    expect(q.peek()?.operationID).toBe('op3000');
    expect(q.size).toBe(2_000);
    expect(q.byteSize).toBeLessThan(full);
    q.push(f(5_000));
    expect(q.takeAll().at(-1)?.operationID).toBe('op5000');
  });
});

describe('OutboundQueue while a login is decided', () => {
  it('takes the frames of a login past the bounds (the login timeout bounds them), and bounds what comes after', () => {
    const q = new OutboundQueue({ maxEvents: 1, maxBytes: 1_000 });
    for (let i = 1; i <= 3; i++) expect(q.push(f(i), false)).toBe(true);
    expect(q.size).toBe(3);
    expect(q.push(f(4))).toBe(false);
    expect(q.size).toBe(0);
  });
});
