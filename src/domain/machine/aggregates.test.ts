import { compileCampaign, type CompiledPlan } from '../compiler';
import { addContributions, aggregateValue, contributors, FOLDED_EVENT_ID, foldAll, removeEvent } from './aggregates';
import { LIMITS, type Contribution, type PathState } from './state';

const plan = (() => {
  const r = compileCampaign({
    key: 'agg',
    name: 'aggregates',
    entry: { on: 'start' },
    initial: 'a',
    states: {
      a: {
        transitions: [
          {
            to: 'b',
            when: "count('tick') >= 99999 && sum('tick', 'n') > 0 && min('tick', 'n') > 0 && max('tick', 'n') > 0 && avg('tick', 'n') > 0 && distinct('tick', 'k') > 0",
          },
        ],
      },
      b: { end: true },
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
})();

const base = { user: {}, journey: { enteredAt: null, stateEnteredAt: null, entries: 1 }, now: 0 };
const value = (p: CompiledPlan, w: Record<string, Contribution[]>, fn: string, byShape = true) => {
  const key = Object.keys(p.aggregates).find((k) => k.startsWith(`${fn}(`))!;
  return aggregateValue(p.aggregates[key], w, key, byShape);
};

describe('aggregates past the contribution bound', () => {
  const n = LIMITS.contributions * 3 + 7;
  const window: Record<string, Contribution[]> = {};
  for (let i = 1; i <= n; i++) {
    addContributions(plan, window, { id: `t${i}`, type: 'tick', occurredAt: '2026-01-01T00:00:00Z', properties: { n: i, k: i % 5 } }, base, true);
  }

  it('keeps the lists bounded', () => {
    for (const list of Object.values(window)) {
      expect(list.length).toBeLessThanOrEqual(LIMITS.contributions);
      expect(list[0].eventId).toBe(FOLDED_EVENT_ID);
    }
  });

  it('still counts, sums and ranges over every event', () => {
    expect(value(plan, window, 'count')).toBe(n);
    expect(value(plan, window, 'sum')).toBe((n * (n + 1)) / 2);
    expect(value(plan, window, 'min')).toBe(1);
    expect(value(plan, window, 'max')).toBe(n);
    expect(value(plan, window, 'avg')).toBe((n + 1) / 2);
    expect(value(plan, window, 'distinct')).toBe(5);
  });

  it('can still take out a recent event, and never lists the folded summary as a cause', () => {
    expect(removeEvent(window, `t${n}`, true)).toBe(true);
    expect(value(plan, window, 'count')).toBe(n - 1);
    expect(value(plan, window, 'max')).toBe(n - 1);
    const path = { window } as unknown as PathState;
    expect(contributors(path, Object.values(plan.aggregates), true)).not.toContain(FOLDED_EVENT_ID);
  });
});

describe('foldAll (patch journey-weighed-whole)', () => {
  const ticks = (from: number, to: number, k: (i: number) => unknown) => {
    const window: Record<string, Contribution[]> = {};
    for (let i = from; i <= to; i++) addContributions(plan, window, { id: `t${i}`, type: 'tick', occurredAt: '2026-01-01T00:00:00Z', properties: { n: i, k: k(i) } }, base, true);
    return window;
  };
  const all = ['count', 'sum', 'min', 'max', 'avg', 'distinct'];

  it('folds every share into the summary: every aggregate reads as before, and a cancel no longer takes one out', () => {
    const window = ticks(1, 150, (i) => i % 7);
    const before = all.map((fn) => value(plan, window, fn));
    for (const list of Object.values(window)) expect(foldAll(list)).toBe(150);
    expect(Object.values(window).every((list) => list.length === 1 && list[0].eventId === FOLDED_EVENT_ID)).toBe(true);
    expect(all.map((fn) => value(plan, window, fn))).toEqual(before);
    removeEvent(window, 't150', true);
    expect(value(plan, window, 'count')).toBe(150);
  });

  it('leaves a list whose summary would keep fewer distinct values than it reads now', () => {
    // 1,150 distinct values: the summary keeps 1,000 and the newest 199 shares the rest.
    const window = ticks(1, 1150, (i) => `v${i}`);
    const key = Object.keys(plan.aggregates).find((k) => k.startsWith('distinct('))!;
    expect(value(plan, window, 'distinct')).toBe(1150);
    const shares = window[key].length;
    expect(foldAll(window[key])).toBe(0);
    expect(window[key]).toHaveLength(shares);
    expect(value(plan, window, 'distinct')).toBe(1150);
  });
});

describe('distinct() over long strings', () => {
  const big = (tag: string) => `${tag}${'x'.repeat(250_000)}`;
  const tick = (id: string, k: unknown) => ({ id, type: 'tick', occurredAt: '2026-01-01T00:00:00Z', properties: { n: 1, k } });
  const distinctKeyOf = Object.keys(plan.aggregates).find((k) => k.startsWith('distinct('))!;

  it('counts them by equality and keeps each as a short digest, so the state stays small', () => {
    const window: Record<string, Contribution[]> = {};
    for (const [id, k] of [['a', big('a')], ['b', big('a')], ['c', big('b')], ['d', `${big('a')}y`], ['e', 'short']] as const) addContributions(plan, window, tick(id, k), base, true);
    expect(value(plan, window, 'distinct')).toBe(4);
    expect(JSON.stringify(window[distinctKeyOf]).length).toBeLessThan(1_000);
    // A cancel still takes one out.
    removeEvent(window, 'c', true);
    expect(value(plan, window, 'distinct')).toBe(3);
  });

  it('counts a value kept raw (a journey from before digests) and the same value as a digest once, folded or not', () => {
    const raw: Record<string, Contribution[]> = { [distinctKeyOf]: [{ eventId: 'old', value: big('a') }] };
    addContributions(plan, raw, tick('new', big('a')), base, true);
    expect(value(plan, raw, 'distinct')).toBe(1);
    const folded: Record<string, Contribution[]> = {
      [distinctKeyOf]: [{ eventId: FOLDED_EVENT_ID, value: { folded: true, count: 1, sum: 0, numbers: 0, min: null, max: null, distinct: [`string:${big('a')}`] } }],
    };
    addContributions(plan, folded, tick('new', big('a')), base, true);
    addContributions(plan, folded, tick('other', big('b')), base, true);
    expect(value(plan, folded, 'distinct')).toBe(2);
  });
});

describe('an event sent with the id of the folded summary', () => {
  const tick = (id: string, n: number) => ({ id, type: 'tick', occurredAt: '2026-01-01T00:00:00Z', properties: { n, k: n % 3 } });

  it('counts as any other event, past the bound too, and a cancel takes out only its own share (patch exact-held-and-folded)', () => {
    const window: Record<string, Contribution[]> = {};
    addContributions(plan, window, tick(FOLDED_EVENT_ID, 1), base, true);
    expect(value(plan, window, 'count')).toBe(1);
    expect(value(plan, window, 'sum')).toBe(1);
    expect(value(plan, window, 'distinct')).toBe(1);
    const path = { window } as unknown as PathState;
    expect(contributors(path, Object.values(plan.aggregates), true)).toContain(FOLDED_EVENT_ID);
    const n = LIMITS.contributions + 5;
    for (let i = 2; i <= n; i++) addContributions(plan, window, tick(`t${i}`, i), base, true);
    expect(value(plan, window, 'count')).toBe(n);
    expect(value(plan, window, 'sum')).toBe((n * (n + 1)) / 2);
    // A cancel of an event named like the summary never takes the summary out.
    expect(removeEvent(window, FOLDED_EVENT_ID, true)).toBe(false);
    expect(value(plan, window, 'count')).toBe(n);
  });

  it('was read as the summary by journeys from before the patch', () => {
    const window: Record<string, Contribution[]> = {};
    addContributions(plan, window, tick(FOLDED_EVENT_ID, 1), base, false);
    expect(value(plan, window, 'count', false)).toBeNaN();
  });
});
