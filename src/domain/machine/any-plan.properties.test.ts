import fc from 'fast-check';
import birthday from '../../../examples/campaigns/birthday.json';
import firstOrderCoupon from '../../../examples/campaigns/first-order-coupon.json';
import { compileCampaign, type CompiledPlan } from '../compiler';
import { MAX_DATE_MS } from '../date-range';
import { spendAndPost, type Json } from '../testing/campaigns';
import type { JourneyInput } from './inputs';
import { initialJourneyState, type JourneyState } from './state';
import { step } from './step';

/**
 * Issue 11, item 2: no campaign that compiles can get a journey stuck. Any
 * plan the compiler accepts, fed any stream of inputs at any time a workflow
 * could report (far past and far future included), must not throw in `step`:
 * a throw there fails the workflow task again on every retry.
 */

const STATES = ['s0', 's1', 's2', 's3', 'done'];
// The longest durations the schema accepts, and some just past them (which must be refused, not run).
const DURATIONS = ['PT1S', 'PT10S', 'P1D', 'P1M', 'P1Y2M3DT4H5M6.5S', 'P1000Y', 'P12000M', 'P365242D', 'P52177W', 'PT8765820H'];
// The extremes campaigns may hold: years 0001 to 9999 in UTC, offsets up to ±15:59 (what PostgreSQL stores).
const TIMESTAMPS = ['0001-01-01T00:00:00Z', '0001-01-01T16:00:00+14:00', '1970-01-01T00:00:00Z', '2026-11-21T10:00:00Z', '9999-12-31T23:59:59.999Z', '9999-12-31T08:00:00-15:59'];
const NEAR_END = MAX_DATE_MS - 1000;
const NOWS = [-MAX_DATE_MS, -MAX_DATE_MS - 1, MAX_DATE_MS, MAX_DATE_MS + 1, NEAR_END, Date.parse('0000-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59Z'), 0];

const durationArb = fc.constantFrom(...DURATIONS);

const actionArb: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant('coupon'), pool: fc.constant('vip'), unlessHolding: fc.boolean() }),
  fc.record({ type: fc.constant('points'), amount: fc.constantFrom(10, "sum('a', 'amount') * 10", 'event.amount') }),
  fc.record({ type: fc.constant('credit'), amount: fc.constantFrom(5, 'event.amount'), currency: fc.constant('USD') }),
  fc.record({ type: fc.constant('message'), channel: fc.constant('push'), template: fc.constant('t'), data: fc.constant({ at: 'now()' }) }),
  fc.record({ type: fc.constant('webhook'), url: fc.constant('https://example.test/hook') }),
);

const groupArb: fc.Arbitrary<Json> = fc.record({
  strategy: fc.constantFrom('parallel', 'serial', 'priority'),
  steps: fc.array(fc.oneof(actionArb, actionArb.map((a) => ({ ...a, if: 'user.vip == true' }))), { minLength: 1, maxLength: 3 }),
});

/** Transitions out of state `i`: one that always leads on (so every state is reachable), then random ones; immediate ones only lead forward (no loops). */
const transitionsArb = (i: number): fc.Arbitrary<Json[]> => {
  const later = STATES.slice(i + 1);
  const anyTarget = fc.constantFrom(...STATES);
  const laterTarget = fc.constantFrom(...later);
  const onward: fc.Arbitrary<Json> = fc.oneof(
    fc.record({ to: fc.constant(later[0]), on: fc.constantFrom('a', 'b') }),
    fc.record({ to: fc.constant(later[0]), after: durationArb }),
    fc.record({ to: fc.constant(later[0]), at: fc.constantFrom(...TIMESTAMPS) }),
  );
  const extra: fc.Arbitrary<Json> = fc.oneof(
    fc.record({ to: anyTarget, on: fc.constantFrom('a', 'b'), if: fc.constantFrom('event.amount > 5', 'user.vip == true', 'daysSince(event.occurredAt) < 3') }),
    fc.record({ to: anyTarget, when: fc.constantFrom("sum('a', 'amount') >= 20", "count('b') >= 2", 'user.level >= 2') }),
    fc.record({ to: anyTarget, after: durationArb }),
    fc.record({ to: anyTarget, at: fc.constantFrom(...TIMESTAMPS) }),
    fc.record({ to: laterTarget, if: fc.constant('user.vip == true') }),
    fc.record({ split: fc.array(fc.record({ to: laterTarget, weight: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 3 }) }),
  );
  return fc.tuple(fc.array(extra, { maxLength: 3 }), onward).map(([rest, last]) => [...rest, last]);
};

const stateArb = (i: number): fc.Arbitrary<Json> =>
  fc.record({ actions: groupArb, transitions: transitionsArb(i) }, { requiredKeys: ['transitions'] });

const campaignArb: fc.Arbitrary<Json> = fc
  .record({
    states: fc.tuple(stateArb(0), stateArb(1), stateArb(2), stateArb(3)),
    entryIf: fc.option(fc.constant('event.amount > 0'), { nil: undefined }),
    participation: fc.record(
      {
        maxEntries: fc.integer({ min: 1, max: 3 }),
        cooldown: durationArb,
        frequency: fc.record({ max: fc.integer({ min: 1, max: 3 }), per: durationArb }),
        mode: fc.constantFrom('serial', 'parallel'),
      },
      { requiredKeys: ['maxEntries', 'mode'] },
    ),
    schedule: fc.record(
      {
        startsAt: fc.constantFrom(...TIMESTAMPS.slice(0, 3)),
        endsAt: fc.constantFrom(...TIMESTAMPS.slice(3)),
        timezone: fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati'),
        quietHours: fc.constantFrom({ from: '22:00', to: '08:00' }, { from: '01:00', to: '02:00' }),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ states, entryIf, participation, schedule }) => ({
    key: 'any',
    name: 'any plan',
    entry: { on: ['a', 'b'], ...(entryIf ? { if: entryIf } : {}) },
    exitOn: [{ on: 'stop' }],
    initial: 's0',
    participation,
    schedule,
    states: { s0: states[0], s1: states[1], s2: states[2], s3: states[3], done: { end: true } },
  }));

/** Inputs chosen against the journey as it is, so timers and outcomes name what is really pending. */
type MakeInput = (state: JourneyState, now: number) => JourneyInput;

const nowArb = (i: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constant(Date.parse('2026-11-21T10:00:00Z') + i * 3600_000),
    fc.constantFrom(...NOWS),
    fc.double({ min: -MAX_DATE_MS * 1.01, max: MAX_DATE_MS * 1.01, noNaN: true }),
  );

const inputArb: fc.Arbitrary<MakeInput> = fc.oneof(
  fc.record({ type: fc.constantFrom('a', 'b', 'stop', 'other'), id: fc.integer({ min: 0, max: 12 }), amount: fc.integer({ min: -5, max: 40 }), vip: fc.boolean(), override: fc.boolean() }).map(
    (e): MakeInput =>
      (state, now) => ({
        version: 1,
        kind: 'event',
        event: { version: 1, id: `e-${e.id}`, type: e.type, userId: state.userId, occurredAt: '2026-11-21T10:00:00Z', properties: { amount: e.amount, ...(e.override ? { user: { vip: !e.vip } } : {}) } },
        user: { level: 2, vip: e.vip },
        now,
      }),
  ),
  fc.nat().map((k): MakeInput => (state, now) => {
    const timers = state.paths.flatMap((p) => p.timers);
    return { version: 1, kind: 'timer', timerId: timers.length > 0 ? timers[k % timers.length].timerId : 'none', now };
  }),
  fc.tuple(fc.nat(), fc.constantFrom('succeeded', 'failed', 'exhausted', 'skipped', 'notEligible') as fc.Arbitrary<'succeeded'>).map(
    ([k, outcome]): MakeInput =>
      (state, now) => {
        const running = state.paths.flatMap((p) => Object.entries(p.steps).filter(([, s]) => s === 'running').map(([stepId]) => ({ pathId: p.pathId, stepId })));
        const pick = running[k % Math.max(1, running.length)] ?? { pathId: 'p0', stepId: 'none' };
        return { version: 1, kind: 'actionOutcome', ...pick, outcome, result: { rewardId: 'r' }, now };
      },
  ),
  fc.integer({ min: 0, max: 12 }).map((id): MakeInput => (_state, now) => ({ version: 1, kind: 'cancelEvent', eventId: `e-${id}`, now })),
  fc.integer({ min: 0, max: 3 }).map((tick): MakeInput => (_state, now) => ({ version: 1, kind: 'scheduledEntry', tickId: `t-${tick}`, user: { level: 3 }, now })),
  fc.constant((_state: JourneyState, now: number): JourneyInput => ({ version: 1, kind: 'exit', reason: 'operator', now })),
);

const scriptArb = fc.array(fc.nat(), { maxLength: 30 }).chain((xs) => fc.tuple(...xs.map((_, i) => fc.tuple(inputArb, nowArb(i)))));

function runScript(plan: CompiledPlan, script: ReadonlyArray<[MakeInput, number]>): void {
  let state = initialJourneyState(plan, { campaignKey: plan.key, userId: 'u:1', seed: 'seed' });
  for (const [make, now] of script) {
    const input = make(state, now);
    let result;
    try {
      result = step(plan, state, input);
    } catch (error) {
      throw new Error(`step threw on ${JSON.stringify(input)}: ${String(error)}`);
    }
    // What the workflow shell does with the effects must not throw either.
    for (const effect of result.effects) {
      if (effect.kind === 'startTimer') expect(Number.isNaN(Date.parse(effect.fireAt))).toBe(false);
      if (effect.kind === 'runAction' && effect.notBefore) expect(Number.isNaN(Date.parse(effect.notBefore))).toBe(false);
    }
    state = result.state;
  }
}

describe('every plan the compiler accepts runs without throwing (issue 11)', () => {
  it('random plans, random inputs at any time', () => {
    let accepted = 0;
    fc.assert(
      fc.property(campaignArb, scriptArb, (campaign, script) => {
        const compiled = compileCampaign(campaign);
        if (!compiled.ok) return;
        accepted++;
        runScript(compiled.value, script);
      }),
      { numRuns: 400 },
    );
    // The generator must keep producing plans worth running, or the property says nothing.
    expect(accepted).toBeGreaterThan(100);
  });

  it.each([
    ['spend-and-post', spendAndPost()],
    ['birthday', birthday as Json],
    ['first-order-coupon', firstOrderCoupon as Json],
  ])('the example %s, random inputs at any time', (_name, campaign) => {
    const compiled = compileCampaign(campaign);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    fc.assert(fc.property(scriptArb, (script) => runScript(compiled.value, script)), { numRuns: 150 });
  });

  it('a duration too long to schedule is a compile error with its path, not a plan', () => {
    const campaign = spendAndPost();
    campaign.participation = { ...(campaign.participation ?? {}), cooldown: 'P1001Y' };
    const compiled = compileCampaign(campaign);
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.issues.map((i) => i.path)).toContain('participation.cooldown');
  });
});
