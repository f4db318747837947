import type { JourneyEvent } from '../event';
import { campaignWith, spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { preview } from './preview';

const order = (amount: number, id = 'ord-p'): JourneyEvent => ({
  version: 1,
  id,
  type: 'order.completed',
  userId: 'u-1',
  occurredAt: '2026-11-21T10:00:00Z',
  properties: { amount },
});

describe('preview', () => {
  const plan = compiled(spendAndPost());
  const now = '2026-11-21T10:00:00Z';

  it('reports an entry, with nothing issued', () => {
    const p = preview(plan, null, order(25), { userId: 'u-1', user: { level: 2 }, now });
    expect(p).toMatchObject({ entered: true, transitions: [{ from: null, to: 'collecting' }], rewards: [], messages: [] });
  });

  it('reports why an entry is refused', () => {
    const p = preview(plan, null, order(25), { userId: 'u-1', user: { level: 1 }, now });
    expect(p.entered).toBe(false);
    expect(p.refusedBecause).toMatch(/not in the audience/);
  });

  it('reports the rewards an event would cause, assuming each step succeeds, and changes nothing', () => {
    const j = new TestJourney(plan, { user: { level: 2, vip: true } });
    j.event('order.completed', { amount: 25 });
    for (let i = 0; i < 9; i++) j.event('post.created');
    const snapshot = JSON.stringify(j.state);
    const post: JourneyEvent = { ...order(0, 'post-x'), type: 'post.created', properties: {} };
    const p = preview(plan, j.state, post, { userId: 'u-1', user: { level: 2, vip: true }, now });
    expect(p.transitions.map((t) => t.to)).toEqual(['rewarded']);
    expect(p.rewards).toEqual([expect.objectContaining({ stepId: 'rewarded/0', action: { type: 'coupon', pool: 'vip-20-off', unlessHolding: false } })]);
    expect(JSON.stringify(j.state)).toBe(snapshot);
  });

  it('marks a reward the ledger would refuse (above the most one reward gives) and goes no further on its path, as the journey would hold there', () => {
    const big = compiled(
      campaignWith({
        start: { actions: { steps: [{ id: 'points', type: 'points', amount: 'event.amount' }, { id: 'after', type: 'credit', amount: 5, currency: 'EUR' }] }, end: true },
      }),
    );
    const held = preview(big, null, order(2e12), { userId: 'u-1', user: {}, now });
    expect(held.rewards).toEqual([
      expect.objectContaining({ stepId: 'points', action: expect.objectContaining({ amount: 2e12 }), refused: 'amount 2000000000000 is more than one reward gives (at most 1,000,000,000,000)' }),
    ]);
    expect(held.notes).toContain('p1: points would be held: amount 2000000000000 is more than one reward gives (at most 1,000,000,000,000)');
    const fine = preview(big, null, order(1e12), { userId: 'u-1', user: {}, now });
    expect(fine.rewards.map((r) => [r.stepId, r.refused])).toEqual([
      ['points', undefined],
      ['after', undefined],
    ]);
  });
  it('lists a webhook step with its URL and body as it would be POSTed, apart from rewards and messages', () => {
    const hooked = compiled(
      campaignWith({
        start: { actions: { steps: [{ id: 'crm', type: 'webhook', url: 'https://crm.example/hook', body: { source: 'kairos', tier: 2 } }] }, end: true },
      }),
    );
    const p = preview(hooked, null, order(25), { userId: 'u-1', user: {}, now });
    expect(p.webhooks).toEqual([{ stepId: 'crm', action: { type: 'webhook', url: 'https://crm.example/hook', body: { source: 'kairos', tier: 2 } } }]);
    expect(p.rewards).toEqual([]);
    expect(p.messages).toEqual([]);
  });

  it('gives a message its quiet-hours wait', () => {
    const quiet = compiled(
      campaignWith(
        { start: { actions: { steps: [{ id: 'hello', type: 'message', channel: 'push', template: 'hi' }] }, end: true } },
        { schedule: { timezone: 'Asia/Shanghai', quietHours: { from: '22:00', to: '08:00' } } },
      ),
    );
    // 23:00 in Shanghai.
    const p = preview(quiet, null, order(25), { userId: 'u-1', user: {}, now: '2026-11-10T15:00:00Z' });
    expect(p.messages).toEqual([expect.objectContaining({ stepId: 'hello', notBefore: '2026-11-11T00:00:00.000Z' })]);
  });
});
