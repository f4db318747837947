import fc from 'fast-check';
import type { CompiledPlan } from '../compiler';
import { spendAndPost } from '../testing/campaigns';
import { compiled } from '../testing/journey';
import type { JourneyInput } from './inputs';
import { initialJourneyState, type JourneyState } from './state';
import { step } from './step';

const plan: CompiledPlan = compiled(spendAndPost());
const start = Date.parse('2026-11-21T10:00:00Z');

/** A random but plausible stream of inputs for the spend-and-post campaign. */
const inputArb = (i: number): fc.Arbitrary<(state: JourneyState) => JourneyInput> =>
  fc.oneof(
    fc.record({ type: fc.constantFrom('order.completed', 'post.created', 'user.unsubscribed', 'other'), amount: fc.integer({ min: -5, max: 40 }), id: fc.integer({ min: 0, max: 30 }) }).map(
      (e) => () => ({
        version: 1 as const,
        kind: 'event' as const,
        event: { version: 1 as const, id: `e-${e.id}`, type: e.type, userId: 'u-1', occurredAt: '2026-11-21T10:00:00Z', properties: { amount: e.amount } },
        user: { level: 2, vip: e.amount % 2 === 0 },
        now: start + i * 3600_000,
      }),
    ),
    fc.constant((state: JourneyState) => {
      const timer = state.paths[0]?.timers[0];
      return { version: 1 as const, kind: 'timer' as const, timerId: timer?.timerId ?? 'none', now: start + i * 3600_000 + 4 * 86400_000 };
    }),
    fc.constantFrom<'succeeded' | 'failed' | 'exhausted'>('succeeded', 'failed', 'exhausted').map((outcome) => (state: JourneyState) => {
      const path = state.paths[0];
      const running = path ? Object.entries(path.steps).find(([, s]) => s === 'running') : undefined;
      return { version: 1 as const, kind: 'actionOutcome' as const, pathId: path?.pathId ?? 'p0', stepId: running?.[0] ?? 'none', outcome, now: start + i * 3600_000 };
    }),
    fc.integer({ min: 0, max: 30 }).map((id) => () => ({ version: 1 as const, kind: 'cancelEvent' as const, eventId: `e-${id}`, now: start + i * 3600_000 })),
  );

const scriptArb = fc.array(fc.nat(), { maxLength: 40 }).chain((xs) => fc.tuple(...xs.map((_, i) => inputArb(i))));

function play(script: ReadonlyArray<(s: JourneyState) => JourneyInput>): { states: JourneyState[]; inputs: JourneyInput[] } {
  let state = initialJourneyState(plan, { campaignKey: plan.key, userId: 'u-1', seed: 's' });
  const states = [state];
  const inputs: JourneyInput[] = [];
  for (const make of script) {
    const input = make(state);
    inputs.push(input);
    state = step(plan, state, input).state;
    states.push(state);
  }
  return { states, inputs };
}

describe('journey machine properties', () => {
  it('is deterministic: the same inputs give deep-equal outputs', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const a = play(script);
        const b = play(script);
        expect(b.states).toEqual(a.states);
        a.inputs.forEach((input, i) => {
          expect(step(plan, a.states[i], input)).toEqual(step(plan, a.states[i], input));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('never modifies the state it is given, and its state stays JSON', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { states, inputs } = play(script);
        inputs.forEach((input, i) => {
          const copy = JSON.stringify(states[i]);
          const out = step(plan, states[i], input);
          expect(JSON.stringify(states[i])).toBe(copy);
          expect(JSON.parse(JSON.stringify(out.state))).toEqual(out.state);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a duplicate event changes nothing', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { states, inputs } = play(script);
        inputs.forEach((input, i) => {
          if (input.kind !== 'event') return;
          const after = states[i + 1];
          const again = step(plan, after, { ...input, now: Number(input.now) + 1000 });
          expect(again.effects).toEqual([]);
          expect(again.state).toEqual(after);
        });
      }),
      { numRuns: 40 },
    );
  });
});
