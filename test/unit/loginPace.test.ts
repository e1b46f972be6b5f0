/**
 * The login pace (module/loginPace.ts) on a fake clock: starts at least 1000 / rate ms apart,
 * never more than `rate` in any one-second window, in arrival order; a login whose turn is past
 * its wait bound is refused at once with errCode 10002, and shutdown answers the waiting ones.
 */
import { LoginPace } from '../../module/loginPace';
import { ErrorCode } from '../../common/errors';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

function recorder() {
  const starts: number[] = [];
  const paced: Array<['waited' | 'refused', number]> = [];
  return { starts, paced, observer: { loginStarted: (at: number) => starts.push(at), loginPaced: (o: 'waited' | 'refused', ms: number) => paced.push([o, ms]) } };
}

/** Most starts in any half-open window [t, t + 1000). */
function maxPerSecond(starts: number[]): number {
  let most = 0;
  for (const t of starts) most = Math.max(most, starts.filter((s) => s >= t && s < t + 1000).length);
  return most;
}

describe('LoginPace', () => {
  it('lets a burst of 25 logins start 200 ms apart at 5 per second, in arrival order, never 6 in a second', async () => {
    const r = recorder();
    const pace = new LoginPace(5, r.observer);
    const order: number[] = [];
    const all = Array.from({ length: 25 }, (_, i) => pace.turn(60_000).then((waited) => order.push(i) && waited));
    expect(pace.waiting).toBe(24);
    await jest.advanceTimersByTimeAsync(10_000);
    const waited = await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(waited).toEqual(Array.from({ length: 25 }, (_, i) => i * 200));
    expect(r.starts.map((s) => s - 1_000_000)).toEqual(Array.from({ length: 25 }, (_, i) => i * 200));
    expect(maxPerSecond(r.starts)).toBe(5);
    expect(r.paced.filter(([o]) => o === 'waited')).toHaveLength(24);
    expect(pace.waiting).toBe(0);
  });

  it('measures the spacing from the previous start: a login after a pause starts at once', async () => {
    const r = recorder();
    const pace = new LoginPace(2, r.observer);
    await pace.turn(1000);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(await pace.turn(1000)).toBe(0);
    expect(r.paced).toEqual([]);
  });

  it('refuses at once, with errCode 10002, a login whose turn is further away than it may wait', async () => {
    const r = recorder();
    const pace = new LoginPace(1, r.observer);
    const first = pace.turn(2_500);
    const second = pace.turn(2_500); // 1 s
    const third = pace.turn(2_500); // 2 s
    await expect(pace.turn(2_500)).rejects.toMatchObject({ errCode: ErrorCode.Network, message: expect.stringContaining('1 per second') }); // 3 s > 2.5 s
    expect(r.paced).toEqual([['refused', 0]]);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await Promise.all([first, second, third])).toEqual([0, 1000, 2000]);
  });

  it('answers the logins still waiting when it closes (shutdown), and refuses later ones', async () => {
    const pace = new LoginPace(1);
    await pace.turn(10_000);
    const waiting = pace.turn(10_000);
    pace.close();
    await expect(waiting).rejects.toMatchObject({ errCode: ErrorCode.Network, message: expect.stringContaining('shutting down') });
    await expect(pace.turn(10_000)).rejects.toMatchObject({ errCode: ErrorCode.Network });
  });

  it('does not pace at 0', async () => {
    const r = recorder();
    const pace = new LoginPace(0, r.observer);
    expect(await Promise.all(Array.from({ length: 100 }, () => pace.turn(0)))).toEqual(Array.from({ length: 100 }, () => 0));
    expect(r.starts).toHaveLength(100);
  });
});
