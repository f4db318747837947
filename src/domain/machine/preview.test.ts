import { compileStoredCampaign } from '../compiler/compile';
import type { JourneyEvent } from '../event';
import { campaignWith, spendAndPost } from '../testing/campaigns';
import { credentialedHook } from '../testing/credentialed-hook';
import { compiled, TestJourney } from '../testing/journey';
import { preview, previewTime } from './preview';

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

  it('masks credentials in a webhook URL of a version stored before they were refused', () => {
    const stored = compileStoredCampaign(credentialedHook(), { version: 1 });
    if (!stored.ok) throw new Error(JSON.stringify(stored.issues));
    const j = new TestJourney(stored.value);
    j.event('order.completed', {}, { id: 'o-1' });
    const shipped: JourneyEvent = { ...order(0, 's-1'), type: 'order.shipped', properties: {} };
    const p = preview(stored.value, j.state, shipped, { userId: 'u-1', user: {}, now });
    expect(p.webhooks).toEqual([{ stepId: 'done/0', action: expect.objectContaining({ type: 'webhook', url: 'https://***@hooks.example.com/kairos' }) }]);
    expect(JSON.stringify(p)).not.toContain('s3cret');
  });
});

describe('previewTime: the time a journey previews at', () => {
  const journeyNow = Date.parse('2026-11-21T09:00:00Z');

  it("is the caller's clock, not the journey's last workflow task", () => {
    expect(previewTime(Date.parse('2026-11-21T11:00:00Z'), journeyNow)).toBe(Date.parse('2026-11-21T11:00:00Z'));
  });

  it("is the journey's own time without a caller's clock (a gateway from before), with one that is no time, or one behind the journey", () => {
    for (const asked of [undefined, Number.NaN, 1e20, '2026-11-21T11:00:00Z', Date.parse('2026-11-21T08:00:00Z')]) expect(previewTime(asked, journeyNow)).toBe(journeyNow);
  });
});

describe('preview of an entry reaching an ended journey still finishing its effects', () => {
  const lessons = compiled({
    key: 'lessons',
    name: 'Lessons',
    entry: { on: 'lesson.finished' },
    participation: { maxEntries: 3 },
    initial: 'gift',
    states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 10 }] }, end: true } },
  });
  const lesson = (id: string): JourneyEvent => ({ version: 1, id, type: 'lesson.finished', userId: 'u-1', occurredAt: '2026-11-21T10:00:00Z', properties: {} });
  const endedJourney = () => {
    const j = new TestJourney(lessons, { seed: 'journey:lessons:u-1' });
    j.event('lesson.finished', {}, { id: 'L-1' });
    j.exit('operator');
    expect(j.state.status).toBe('ended');
    return j;
  };
  const afterEnd = { refuseTaken: true };
  const now = '2026-11-21T10:00:00Z';

  it("answers as the user's next journey, which the event begins, with the entries the ended one counted", () => {
    const j = endedJourney();
    const p = preview(lessons, j.state, lesson('L-2'), { userId: 'u-1', user: {}, now, afterEnd });
    expect(p).toMatchObject({ entered: true, transitions: [{ from: null, to: 'gift' }] });
    expect(p.refusedBecause).toBeUndefined();
    // The next journey's second entry: its key counts the ended journey's one.
    expect(p.rewards).toEqual([expect.objectContaining({ stepId: 'pts', idempotencyKey: 'lessons:u-1:2:1:pts' })]);
    expect(p.notes[0]).toBe("the journey ended (operator) and still finishes its effects: this event begins the user's next journey, previewed as its first entry");
  });

  it('refuses an entry the ended journey already took, which begins no next journey', () => {
    const p = preview(lessons, endedJourney().state, lesson('L-1'), { userId: 'u-1', user: {}, now, afterEnd });
    expect(p).toMatchObject({ entered: false, transitions: [], rewards: [] });
    expect(p.refusedBecause).toMatch(/^ignored: event L-1 was already received: the journey ended \(operator\)/);
  });

  it('is ignored by a journey from before entries-after-end (no afterEnd), as that journey takes it', () => {
    const p = preview(lessons, endedJourney().state, lesson('L-2'), { userId: 'u-1', user: {}, now });
    expect(p).toMatchObject({ entered: false, refusedBecause: 'ignored: the journey ended (operator)' });
  });
});
