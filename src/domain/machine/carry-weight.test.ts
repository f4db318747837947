import { compiled, TestJourney } from '../testing/journey';
import { jsonBytes } from '../json-size';
import { aggregateValue } from './aggregates';
import { LIGHTENED_INPUT, lightenToFit } from './carry-weight';
import type { JourneyState, RewardRecord } from './state';

/** Parallel paths that wait for a review in `open`, and count orders while they wait; a mail goes out on entry. */
const reviews = compiled({
  key: 'reviews',
  name: 'reviews',
  entry: { on: 'start' },
  participation: { maxEntries: 1000, mode: 'parallel' },
  initial: 'open',
  states: {
    open: {
      actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'hi' }] },
      transitions: [{ to: 'reviewed', on: 'review' }, { to: 'done', when: "count('order') >= 100000" }],
    },
    reviewed: { transitions: [{ to: 'done', after: 'P30D' }] },
    done: { end: true },
  },
});

const AT = '2026-12-07T10:00:00.000Z';
/** The plan's one aggregate, count('order'). */
const ORDERS = Object.keys(reviews.aggregates)[0];

/** `paths` journeys' paths, their mails sent, each having counted `orders` orders. */
function counting(paths: number, orders: number): TestJourney {
  const j = new TestJourney(reviews);
  for (let i = 0; i < paths; i++) j.event('start', {}, { id: `s-${i}` });
  // Every path's mail (TestJourney.outcome reaches the newest path's step only).
  for (const a of j.runningActions()) j.apply({ version: 1, kind: 'actionOutcome', pathId: a.pathId, stepId: a.stepId, outcome: 'succeeded', now: j.now });
  for (let i = 0; i < orders; i++) j.event('order', {}, { id: `order-with-a-longish-id-${i}` });
  return j;
}

const lastNote = (state: JourneyState) => state.trace.at(-1)!;

describe('lightenToFit (patch journey-weighed-whole)', () => {
  it('leaves a state within the budget as it is, and says nothing', () => {
    const j = counting(2, 10);
    const before = structuredClone(j.state);
    const r = lightenToFit(j.state, jsonBytes(j.state), AT);
    expect(r).toMatchObject({ fits: true, traceDropped: 0, folded: 0, rewardsDropped: 0, heldDropped: 0 });
    expect(j.state).toEqual(before);
  });

  it('gives up the oldest trace entries first, and keeps every contribution while that is enough', () => {
    const j = counting(2, 30);
    const windows = structuredClone(j.state.paths.map((p) => p.window));
    const entries = j.state.trace.length;
    const newest = j.state.trace.at(-1);
    const r = lightenToFit(j.state, jsonBytes(j.state) - 2 * jsonBytes(j.state.trace[0]), AT);
    expect(r.fits).toBe(true);
    expect(r.traceDropped).toBeGreaterThan(0);
    expect(r).toMatchObject({ folded: 0, rewardsDropped: 0, heldDropped: 0 });
    expect(j.state.trace).toHaveLength(entries - r.traceDropped + 1);
    expect(j.state.trace.at(-2)).toEqual(newest);
    expect(j.state.paths.map((p) => p.window)).toEqual(windows);
    expect(lastNote(j.state).input).toBe(LIGHTENED_INPUT);
    expect(lastNote(j.state).notes[0].message).toMatch(/older trace entries dropped$/);
  });

  it('folds contributions into their summaries, the list that saves most first: the counts stay, a cancel no longer takes those events out', () => {
    const j = counting(3, 150);
    const counted = () => j.state.paths.map((p) => aggregateValue(reviews.aggregates[ORDERS], p.window, ORDERS, true));
    expect(counted()).toEqual([150, 150, 150]);
    j.state.trace = [];
    const r = lightenToFit(j.state, jsonBytes(j.state) - 5_000, AT);
    expect(r.fits).toBe(true);
    expect(r.folded).toBe(150);
    expect(r.heldDropped).toBe(0);
    expect(counted()).toEqual([150, 150, 150]);
    // The heaviest window went first; a path still holding its contributions is not folded beyond what was needed.
    expect(j.state.paths.some((p) => p.window[ORDERS].length === 150)).toBe(true);
    const folded = j.state.paths.find((p) => p.window[ORDERS].length === 1)!;
    expect(lastNote(j.state).notes[0].message).toMatch(/aggregate contributions folded into their summaries \(a cancel can no longer take those events out\)/);
    j.cancel('order-with-a-longish-id-3');
    expect(aggregateValue(reviews.aggregates[ORDERS], j.state.paths.find((p) => p.pathId === folded.pathId)!.window, ORDERS, true)).toBe(150);
  });

  it('drops settled reward records, oldest first; a record still waiting for its outcome stays', () => {
    const j = counting(1, 0);
    const record = (i: number, settled: boolean): RewardRecord => ({
      pathId: j.state.paths[0].pathId,
      stepId: `pts-${i}`,
      type: 'points',
      idempotencyKey: `key-${i}-${'k'.repeat(500)}`,
      causedBy: [`e-${i}`],
      status: settled ? 'issued' : 'pending',
      ...(settled ? { outcome: 'succeeded' } : {}),
    });
    j.state.rewards = [record(0, false), record(1, true), record(2, true), record(3, true)];
    j.state.trace = [];
    const r = lightenToFit(j.state, jsonBytes(j.state) - 100, AT);
    expect(r.fits).toBe(true);
    expect(r.rewardsDropped).toBe(2);
    expect(j.state.rewards.map((x) => x.stepId)).toEqual(['pts-0', 'pts-3']);
  });

  it('last, drops held events, the oldest of the heaviest path first, and a due timer keeps its place among those left', () => {
    const j = new TestJourney(reviews);
    j.event('start', {}, { id: 's-0' });
    j.event('start', {}, { id: 's-1' });
    // The mails are still under way: reviews are held until they finish.
    for (let i = 0; i < 3; i++) j.event('review', { text: `${i}:${'r'.repeat(20_000)}` }, { id: `big-${i}` });
    const [heavy, light] = j.state.paths;
    light.deferred = light.deferred!.slice(-1).map((e) => ({ ...e, properties: { text: 'short' } }));
    heavy.timers = [{ timerId: 't', transition: 1, fireAt: AT, due: true, heldBefore: 2 }];
    j.state.trace = [];
    const r = lightenToFit(j.state, jsonBytes(j.state) - 30_000, AT);
    expect(r.fits).toBe(true);
    expect(r.heldDropped).toBe(2);
    expect(heavy.deferred!.map((e) => e.id)).toEqual(['big-2']);
    expect(light.deferred!.map((e) => e.id)).toEqual(['big-2']);
    expect(heavy.timers[0].heldBefore).toBe(0);
    expect(lastNote(j.state).notes[0].message).toMatch(/2 held events dropped$/);
  });

  it("gives up nothing when even all it could give up would not do: eight paths that each took a 250 KiB event keep it too heavy", () => {
    const j = counting(8, 0);
    j.event('review', { text: 'v'.repeat(250 * 1024) }, { id: 'long-review' });
    expect(j.state.paths.map((p) => p.state)).toEqual(Array(8).fill('reviewed'));
    const budget = 1792 * 1024;
    expect(jsonBytes(j.state)).toBeGreaterThan(2_000_000);
    const trace = structuredClone(j.state.trace);
    const r = lightenToFit(j.state, budget, AT);
    expect(r).toMatchObject({ fits: false, traceDropped: 0, folded: 0, rewardsDropped: 0, heldDropped: 0 });
    expect(r.after).toBeGreaterThan(budget);
    expect(j.state.trace.slice(0, -1)).toEqual(trace);
    expect(j.state.paths.every((p) => p.trigger?.id === 'long-review')).toBe(true);
    expect(lastNote(j.state).notes[0].message).toMatch(/so it gave up nothing; still too heavy, it stays in this run and is weighed again later$/);
  });

  it('drops settled reward records before it folds contributions (the ledger keeps the records; a fold ends a cancel reaching those events)', () => {
    const j = counting(1, 150);
    const settled = (i: number): RewardRecord => ({
      pathId: j.state.paths[0].pathId,
      stepId: `pts-${i}`,
      type: 'points',
      idempotencyKey: `key-${i}-${'k'.repeat(2000)}`,
      causedBy: [`e-${i}`],
      status: 'issued',
      outcome: 'succeeded',
    });
    j.state.rewards = [settled(0), settled(1)];
    j.state.trace = [];
    const r = lightenToFit(j.state, jsonBytes(j.state) - 1000, AT);
    expect(r).toMatchObject({ fits: true, folded: 0, rewardsDropped: 1 });
    expect(j.state.paths[0].window[ORDERS]).toHaveLength(150);
  });
});
