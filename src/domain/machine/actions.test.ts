import { compileStoredCampaign } from '../compiler/compile';
import { campaignWith, spendAndPost, type Json } from '../testing/campaigns';
import { credentialedHook } from '../testing/credentialed-hook';
import { compiled, TestJourney } from '../testing/journey';

/** A journey whose initial state runs `actions` and then ends. */
function withActions(actions: Json, extra: Json = {}): TestJourney {
  const j = new TestJourney(compiled(campaignWith({ start: { actions, end: true } }, extra)), { user: { vip: false } });
  j.event('order.completed', { amount: 30 }, { id: 'ord-1' });
  return j;
}

const started = (j: TestJourney) => j.all('runAction').map((a) => a.stepId);

describe('action groups', () => {
  const three = [
    { type: 'points', amount: 1 },
    { type: 'points', amount: 2 },
    { type: 'points', amount: 3 },
  ];

  it('parallel: every step at once; the path ends when all are done', () => {
    const j = withActions({ strategy: 'parallel', steps: three });
    expect(started(j)).toEqual(['start/0', 'start/1', 'start/2']);
    j.outcome('start/0', 'succeeded');
    j.outcome('start/1', 'failed');
    expect(j.state.paths).toHaveLength(1);
    j.outcome('start/2', 'exhausted');
    expect(j.state.paths).toHaveLength(0);
  });

  it('summaries say one point, and points otherwise', () => {
    const j = withActions({ strategy: 'parallel', steps: three });
    expect(j.all('runAction').map((a) => a.summary)).toEqual(['start/0: 1 point', 'start/1: 2 points', 'start/2: 3 points']);
  });

  it('serial (default): one at a time; a failure stops the rest', () => {
    const j = withActions({ steps: three });
    expect(started(j)).toEqual(['start/0']);
    j.outcome('start/0', 'succeeded');
    expect(started(j)).toEqual(['start/0', 'start/1']);
    j.outcome('start/1', 'failed');
    expect(started(j)).toEqual(['start/0', 'start/1']);
    expect(j.state.paths).toHaveLength(0);
  });

  it('serial: a skipped or exhausted step does not stop the rest', () => {
    const j = withActions({ steps: [{ type: 'points', amount: 1, if: 'user.vip == true' }, ...three.slice(1)] });
    expect(started(j)).toEqual(['start/1']);
    j.outcome('start/1', 'exhausted');
    expect(started(j)).toEqual(['start/1', 'start/2']);
  });

  it('priority: in order, the first success stops the rest', () => {
    const j = withActions({ strategy: 'priority', steps: three });
    j.outcome('start/0', 'exhausted');
    j.outcome('start/1', 'notEligible');
    expect(started(j)).toEqual(['start/0', 'start/1', 'start/2']);
    const k = withActions({ strategy: 'priority', steps: three });
    k.outcome('start/0', 'succeeded');
    expect(started(k)).toEqual(['start/0']);
    expect(k.state.paths).toHaveLength(0);
  });

  it('priority: a step whose `if` is false counts as not succeeded', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2, vip: false } });
    j.event('order.completed', { amount: 25 });
    for (let i = 0; i < 10; i++) j.event('post.created');
    expect(j.lastEffects('runAction').map((a) => [a.stepId, a.action])).toEqual([['rewarded/1', { type: 'points', amount: 250, pool: null }]]);
    expect(j.notes().join('\n')).toMatch(/rewarded\/0 skipped: if user.vip == true is false/);
  });

  it('nested groups: parallel shares, priority excludes', () => {
    const j = withActions({
      strategy: 'parallel',
      steps: [
        { type: 'message', channel: 'push', template: 'congrats' },
        { strategy: 'priority', steps: [{ type: 'coupon', pool: 'gold' }, { type: 'coupon', pool: 'silver' }] },
      ],
    });
    expect(started(j)).toEqual(['start/0', 'start/1.0']);
    j.outcome('start/1.0', 'exhausted');
    expect(started(j)).toEqual(['start/0', 'start/1.0', 'start/1.1']);
    j.outcome('start/1.1', 'succeeded');
    j.outcome('start/0', 'succeeded');
    expect(j.state.paths).toHaveLength(0);
  });

  it('evaluates amounts and message data from the transition that entered the state', () => {
    const j = withActions({
      strategy: 'parallel',
      steps: [
        { type: 'credit', amount: "sum('order.completed', 'amount') / 10", currency: 'USD' },
        { type: 'message', channel: 'email', template: 't', data: { spent: "sum('order.completed', 'amount')", note: 'Thanks a lot!', n: 3 } },
      ],
    });
    expect(j.all('runAction').map((a) => a.action)).toEqual([
      { type: 'credit', amount: 3, currency: 'USD', pool: null },
      { type: 'message', channel: 'email', template: 't', data: { spent: 30, note: 'Thanks a lot!', n: 3 } },
    ]);
  });

  it('an amount that is not a positive number fails the step instead of issuing', () => {
    const j = withActions({ steps: [{ type: 'points', amount: 'event.missing * 2' }] });
    expect(j.all('runAction')).toEqual([]);
    expect(j.notes().join('\n')).toMatch(/start\/0 failed: amount/);
  });

  it('an amount an expression computes carries no floating-point noise (patch rounded-amounts); journeys from before keep it', () => {
    for (const roundedAmounts of [true, false]) {
      const j = new TestJourney(
        compiled(
          campaignWith({
            start: {
              actions: {
                strategy: 'parallel',
                steps: [
                  { type: 'points', amount: 'event.amount * 3' },
                  { type: 'credit', amount: 'event.amount + 0.2', currency: 'EUR' },
                  { type: 'points', amount: 'event.amount / 3' },
                ],
              },
              end: true,
            },
          }),
        ),
        { stepOptions: { roundedAmounts } },
      );
      j.event('order.completed', { amount: 0.1 }, { id: 'ord-1' });
      const amounts = j.all('runAction').map((a) => (a.action as { amount: number }).amount);
      const summaries = j.all('runAction').map((a) => a.summary);
      expect({ roundedAmounts, amounts, summaries }).toEqual(
        roundedAmounts
          ? { roundedAmounts, amounts: [0.3, 0.3, 0.0333333333333333], summaries: ['start/0: 0.3 points', 'start/1: 0.3 EUR credit', 'start/2: 0.0333333333333333 points'] }
          : {
              roundedAmounts,
              amounts: [0.30000000000000004, 0.30000000000000004, 0.03333333333333333],
              summaries: ['start/0: 0.30000000000000004 points', 'start/1: 0.30000000000000004 EUR credit', 'start/2: 0.03333333333333333 points'],
            },
      );
    }
  });

  it('idempotency keys come from business identity', () => {
    const j = withActions({ steps: [{ id: 'welcome', type: 'coupon', pool: 'p' }] });
    expect(j.all('runAction')[0]).toMatchObject({ idempotencyKey: 'test:u-1:1:1:welcome', causedBy: ['ord-1'] });
  });

  it('an outcome for a step that is not running is ignored', () => {
    const j = withActions({ steps: three });
    j.outcome('start/0', 'succeeded');
    const before = j.state.paths[0].steps;
    j.outcome('start/0', 'failed');
    expect(j.state.paths[0].steps).toEqual(before);
    expect(j.notes().join('\n')).toMatch(/not running/);
  });
});

describe('quiet hours', () => {
  const plan = (steps: Json[]) =>
    compiled(
      campaignWith(
        { start: { actions: { strategy: 'parallel', steps }, end: true } },
        { schedule: { timezone: 'Asia/Shanghai', quietHours: { from: '22:00', to: '08:00' } } },
      ),
    );
  const steps = [
    { type: 'message', channel: 'push', template: 'hi' },
    { type: 'points', amount: 5 },
  ];

  it('delays messages to the end of quiet hours in the campaign zone; rewards are not delayed', () => {
    // 23:30 in Shanghai.
    const j = new TestJourney(plan(steps), { now: '2026-11-21T15:30:00Z' });
    j.event('order.completed');
    const [message, points] = j.all('runAction');
    expect(message.notBefore).toBe('2026-11-22T00:00:00.000Z');
    expect(points.notBefore).toBeUndefined();
  });

  it('early morning quiet hours end the same day; daytime messages go at once', () => {
    const night = new TestJourney(plan(steps), { now: '2026-11-21T21:15:00Z' }); // 05:15 local
    night.event('order.completed');
    expect(night.all('runAction')[0].notBefore).toBe('2026-11-22T00:00:00.000Z');
    const day = new TestJourney(plan(steps), { now: '2026-11-21T04:00:00Z' }); // 12:00 local
    day.event('order.completed');
    expect(day.all('runAction')[0].notBefore).toBeUndefined();
  });
});

describe('a webhook step of a version stored before credentials in URLs were refused', () => {
  it('shows its URL masked in the summary and the trace, and POSTs to the URL as stored', () => {
    const stored = compileStoredCampaign(credentialedHook(), { version: 1 });
    if (!stored.ok) throw new Error(JSON.stringify(stored.issues));
    const j = new TestJourney(stored.value);
    j.event('order.completed', {}, { id: 'o-1' });
    j.event('order.shipped', {}, { id: 's-1' });
    const [hook] = j.all('runAction');
    expect(hook.summary).toBe('done/0: webhook https://***@hooks.example.com/kairos');
    expect(j.notes()).toContain('action: done/0: webhook https://***@hooks.example.com/kairos');
    expect(JSON.stringify(j.state.trace)).not.toContain('s3cret');
    expect(hook.action).toMatchObject({ type: 'webhook', url: 'https://user:s3cret@hooks.example.com/kairos' });
  });
});
