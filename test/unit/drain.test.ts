/** The drain (module/drain.ts) on a fake clock: n closes spread evenly over the window, in order. */
import { Drain } from '../../module/drain';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe('Drain', () => {
  it('closes 10 connections over 5000 ms: one every 500 ms, the first at once', async () => {
    const closedAt: number[] = [];
    const targets = Array.from({ length: 10 }, () => ({ closeForDrain: () => closedAt.push(Date.now()) }));
    const drain = new Drain(5_000);
    let done = false;
    const run = drain.run(targets).then(() => (done = true));
    expect(closedAt).toEqual([0]);
    expect(drain.progress).toEqual({ total: 10, closed: 1 });
    await jest.advanceTimersByTimeAsync(2_400);
    expect(drain.progress).toEqual({ total: 10, closed: 5 });
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(5_000);
    await run;
    expect(closedAt).toEqual(Array.from({ length: 10 }, (_, i) => i * 500));
  });

  it('closes everything at once with a window of 0, and finishes at once with nothing to close', async () => {
    const closed: number[] = [];
    await new Drain(0).run(Array.from({ length: 3 }, (_, i) => ({ closeForDrain: () => closed.push(i) })));
    expect(closed).toEqual([0, 1, 2]);
    const empty = new Drain(10_000);
    await empty.run([]);
    expect(empty.progress).toEqual({ total: 0, closed: 0 });
  });
});
