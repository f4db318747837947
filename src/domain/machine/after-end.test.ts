import { compileCampaign } from '../compiler';
import { entersAfterEnd } from './after-end';
import { initialJourneyState, type JourneyState } from './state';

const compiled = (entry: Record<string, unknown>) => {
  const r = compileCampaign({ key: 'k', name: 'k', entry, initial: 's', states: { s: { end: true } } });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const event = (type: string) => ({ version: 1 as const, kind: 'event' as const, user: {}, event: { version: 1 as const, id: 'e', type, userId: 'u', occurredAt: '2026-12-02T00:00:00Z', properties: {} } });

describe('entersAfterEnd', () => {
  const plan = compiled({ on: ['order.completed', 'signup'] });
  const fresh = initialJourneyState(plan, { campaignKey: 'k', userId: 'u', seed: 'w' });
  const ended: JourneyState = { ...fresh, status: 'ended', endReason: 'operator' };

  it('keeps an entry event that reaches an ended journey for the next one', () => {
    expect(entersAfterEnd(plan, ended, event('signup'))).toBe(true);
    expect(entersAfterEnd(plan, ended, event('order.completed'))).toBe(true);
  });

  it('leaves other events, other inputs and journeys that have not ended to step', () => {
    expect(entersAfterEnd(plan, ended, event('page.viewed'))).toBe(false);
    expect(entersAfterEnd(plan, fresh, event('signup'))).toBe(false);
    expect(entersAfterEnd(plan, ended, { version: 1, kind: 'cancelEvent', eventId: 'e' })).toBe(false);
    expect(entersAfterEnd(plan, ended, { version: 1, kind: 'exit', reason: 'operator' })).toBe(false);
  });

  it('keeps a cron tick only for a campaign entered by its schedule', () => {
    const tick = { version: 1 as const, kind: 'scheduledEntry' as const, tickId: 't1', user: {} };
    expect(entersAfterEnd(plan, ended, tick)).toBe(false);
    const cron = compiled({ cron: '0 9 * * MON' });
    expect(entersAfterEnd(cron, { ...initialJourneyState(cron, { campaignKey: 'k', userId: 'u', seed: 'w' }), status: 'ended' }, tick)).toBe(true);
  });
});
