import { compileCampaign } from '../compiler';
import { initialJourneyState, step, type JourneyInput } from '.';

const plan = (() => {
  const r = compileCampaign({
    key: 'ip',
    name: 'in place',
    entry: { on: 'order.completed' },
    participation: { maxEntries: 3 },
    initial: 'collecting',
    states: {
      collecting: { transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 50" }, { to: 'gone', after: 'PT1H' }] },
      rewarded: { actions: { strategy: 'priority', steps: [{ type: 'points', amount: "sum('order.completed', 'amount')" }] }, end: true },
      gone: { end: true },
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
})();

const t0 = Date.parse('2026-11-21T10:00:00Z');
const inputs: JourneyInput[] = [
  ...Array.from({ length: 12 }, (_, i): JourneyInput => ({
    version: 1,
    kind: 'event',
    now: t0 + i * 1000,
    user: {},
    event: { version: 1, id: `o${i}`, type: 'order.completed', userId: 'u', occurredAt: new Date(t0 + i * 1000).toISOString(), properties: { amount: 7 } },
  })),
  { version: 1, kind: 'cancelEvent', eventId: 'o3', now: t0 + 20_000 },
  { version: 1, kind: 'actionOutcome', pathId: 'p1', stepId: 'rewarded/0', outcome: 'succeeded', now: t0 + 21_000 },
];

describe('step in place', () => {
  it('gives the same states and effects as the pure step, input after input', () => {
    let pure = initialJourneyState(plan, { campaignKey: 'ip', userId: 'u', seed: 's' });
    let owned = initialJourneyState(plan, { campaignKey: 'ip', userId: 'u', seed: 's' });
    for (const input of inputs) {
      const a = step(plan, pure, input);
      const b = step(plan, owned, input, { inPlace: true });
      expect(b.effects).toEqual(a.effects);
      expect(b.state).toEqual(a.state);
      pure = a.state;
      owned = b.state;
    }
    expect(owned.rewards.length).toBeGreaterThan(0);
  });

  it('leaves the input untouched by default', () => {
    const start = initialJourneyState(plan, { campaignKey: 'ip', userId: 'u', seed: 's' });
    const before = JSON.stringify(start);
    step(plan, start, inputs[0]);
    expect(JSON.stringify(start)).toBe(before);
  });
});
