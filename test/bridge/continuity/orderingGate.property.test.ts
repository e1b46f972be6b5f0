/**
 * The ordering gate under every interleaving of live pushes and catch-up pages (fast-check):
 * whatever the order, each seq past the app's cursor is handed on exactly once, none is
 * missing, and they come out in ascending order — also with pushes the client SDK repeats
 * (its own reconnect pull) and messages of other conversations in between.
 */
import fc from 'fast-check';
import { OrderingGate, type Sequenced } from '../../../core_func/continuity/orderingGate';
import { DeliveryCursor } from '../../../core_func/continuity/deliveryCursor';

const C = 'si_a_b';
const OTHER = 'sg_g';
type Op = { kind: 'live'; m: Sequenced } | { kind: 'begin' } | { kind: 'page'; ms: Sequenced[] } | { kind: 'end' };

const scenario = fc
  .record({ n: fc.integer({ min: 1, max: 60 }), cursorAt: fc.nat(60), maxAt: fc.nat(60) })
  .chain(({ n, cursorAt, maxAt }) => {
    const cursor = Math.min(cursorAt, n);
    const max = Math.max(cursor, Math.min(maxAt, n)); // the server's max seq when the catch-up read it
    const gap = Array.from({ length: max - cursor }, (_, i) => cursor + 1 + i);
    return fc.record({
      cursor: fc.constant(cursor),
      n: fc.constant(n),
      // seqs up to max: each pushed live or lost in the break; later ones are all pushed live (some twice)
      pushedEarly: fc.subarray(Array.from({ length: max }, (_, i) => i + 1)),
      repeats: fc.subarray(Array.from({ length: n }, (_, i) => i + 1)),
      cuts: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: gap.length, maxLength: gap.length }),
      order: fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
      gap: fc.constant(gap),
      max: fc.constant(max),
    });
  });

function interleave(s: { pushedEarly: number[]; repeats: number[]; cuts: number[]; order: boolean[]; gap: number[]; max: number; n: number }): Op[] {
  const live: Sequenced[] = [];
  const late = Array.from({ length: s.n - s.max }, (_, i) => s.max + 1 + i);
  for (const seq of [...s.pushedEarly, ...late].sort((a, b) => a - b)) {
    live.push({ conversationID: C, seq });
    if (s.repeats.includes(seq)) live.push({ conversationID: C, seq });
    live.push({ conversationID: OTHER, seq });
  }
  live.push({ conversationID: C, seq: 0 }); // online-only: no seq
  const pages: Sequenced[][] = [];
  for (let i = 0; i < s.gap.length; ) {
    const size = s.cuts[i] ?? 1;
    pages.push(s.gap.slice(i, i + size).map((seq) => ({ conversationID: C, seq })));
    i += size;
  }
  const catchUp: Op[] = [{ kind: 'begin' }, ...pages.map((ms): Op => ({ kind: 'page', ms })), { kind: 'end' }];
  const ops: Op[] = [];
  let k = 0;
  // Pushes of seqs past max were assigned after the catch-up began: they wait for 'begin'.
  const begun = () => ops.some((o) => o.kind === 'begin');
  while (live.length || catchUp.length) {
    const next = live[0];
    const liveReady = next !== undefined && (next.seq <= s.max || next.conversationID !== C || begun());
    const takeLive = liveReady && (catchUp.length === 0 || (s.order[k++ % s.order.length] ?? true));
    if (takeLive) ops.push({ kind: 'live', m: live.shift()! });
    else ops.push(catchUp.shift()!);
  }
  return ops;
}

describe('OrderingGate', () => {
  it('hands on every seq past the cursor exactly once, in ascending order, for any interleaving of live pushes and catch-up pages', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const gate = new OrderingGate<Sequenced>((m) => m, new Map([[C, s.cursor]]));
        gate.holdAll(); // the catch-up is due from the start (a known instance logging in)
        const out: Sequenced[] = [];
        for (const op of interleave(s)) {
          if (op.kind === 'live') out.push(...gate.live([op.m]));
          else if (op.kind === 'begin') gate.begin(C);
          else if (op.kind === 'page') out.push(...gate.page(C, op.ms));
          else out.push(...gate.end(C), ...gate.releaseAll());
        }
        const seqs = out.filter((m) => m.conversationID === C && m.seq > 0).map((m) => m.seq);
        const want = Array.from({ length: s.n - s.cursor }, (_, i) => s.cursor + 1 + i);
        expect(seqs).toEqual(want);
        expect(out.filter((m) => m.seq === 0)).toHaveLength(1);
        const other = out.filter((m) => m.conversationID === OTHER).map((m) => m.seq);
        expect(other).toEqual([...new Set(other)].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('DeliveryCursor', () => {
  it('moves to the highest seq written, and past a skipped own send only once nothing below it is still owed', () => {
    const advances: Array<[string, number]> = [];
    const cursor = new DeliveryCursor(new Map([[C, 3]]), (c, seq) => advances.push([c, seq]));
    cursor.owe(C, 4);
    cursor.owe(C, 5);
    cursor.skipped(C, 6); // the app's own send: given, but 4 and 5 are still on their way
    expect(cursor.get(C)).toBe(3);
    cursor.written(C, 4);
    expect(cursor.get(C)).toBe(4);
    cursor.written(C, 5);
    expect(cursor.get(C)).toBe(6);
    cursor.written(C, 2); // an older write never moves it back
    expect(cursor.get(C)).toBe(6);
    expect(advances).toEqual([[C, 4], [C, 5], [C, 6]]);
  });
});
