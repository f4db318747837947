import type { JourneyEvent } from '../event';
import { spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { preview } from './preview';

const event = (type: string, properties: Record<string, unknown>, id = 'e-p'): JourneyEvent => ({
  version: 1,
  id,
  type,
  userId: 'u-1',
  occurredAt: '2026-11-21T10:00:00Z',
  properties,
});
const now = '2026-11-21T10:00:00Z';

describe('preview: which conditions failed, with what values', () => {
  const plan = compiled(spendAndPost());

  it('names the audience part that failed and the value it read', () => {
    const p = preview(plan, null, event('order.completed', { amount: 25 }), { userId: 'u-1', user: { level: 1 }, now });
    expect(p.entered).toBe(false);
    expect(p.conditions).toEqual([{ where: 'audience', text: 'user.level >= 2', values: { 'user.level': '1' } }]);
  });

  it('names the entry condition that failed (amount 0), checked before the audience', () => {
    const p = preview(plan, null, event('order.completed', { amount: 0 }), { userId: 'u-1', user: { level: 5 }, now });
    expect(p.conditions).toEqual([{ where: 'entry.if', text: 'event.amount > 0', values: { 'event.amount': '0' } }]);
  });

  it("against a running journey: each transition of the path's state that did not fire, with its aggregates' values", () => {
    const j = new TestJourney(plan, { user: { level: 2 } });
    j.event('order.completed', { amount: 5 });
    const p = preview(plan, j.state, event('post.created', {}, 'post-1'), { userId: 'u-1', user: { level: 2 }, now });
    expect(p.transitions).toEqual([]);
    const failed = p.conditions.filter((c) => c.state === 'collecting');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((c) => c.pathId === 'p1')).toBe(true);
    expect(failed.map((c) => c.text)).toEqual(expect.arrayContaining(["count('post.created') >= 10"]));
    expect(failed.find((c) => c.text === "count('post.created') >= 10")?.values).toEqual({ "count('post.created')": '1' });
  });

  it('for a new path: nothing about the entry, and the standing condition of its first state that does not hold yet', () => {
    const p = preview(plan, null, event('order.completed', { amount: 25 }), { userId: 'u-1', user: { level: 2 }, now });
    expect(p.entered).toBe(true);
    expect(p.conditions).toEqual([
      expect.objectContaining({ where: expect.stringMatching(/^collecting → rewarded when/), state: 'collecting', pathId: 'p1', text: "count('post.created') >= 10", values: { "count('post.created')": '0' } }),
    ]);
  });
});
