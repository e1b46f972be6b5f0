/** A transport's connections (network/connectionSet.ts): the shutdown waits for the last one to go, up to its grace. */
import { ConnectionSet } from '../../network/connectionSet';

describe('ConnectionSet', () => {
  it('resolves emptied() when the last connection is deleted', async () => {
    const set = new ConnectionSet<number>();
    set.add(1).add(2);
    let done = false;
    const emptied = set.emptied(60_000).then(() => (done = true));
    set.delete(1);
    await Promise.resolve();
    expect(done).toBe(false);
    set.delete(2);
    await emptied;
    expect(done).toBe(true);
  });

  it('resolves emptied() after the grace when connections stay', async () => {
    jest.useFakeTimers();
    try {
      const set = new ConnectionSet<number>();
      set.add(1);
      let done = false;
      void set.emptied(1_000).then(() => (done = true));
      jest.advanceTimersByTime(999);
      await Promise.resolve();
      expect(done).toBe(false);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      expect(done).toBe(true);
      expect(set.size).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('resolves at once when empty', async () => {
    await expect(new ConnectionSet<number>().emptied(60_000)).resolves.toBeUndefined();
  });
});
