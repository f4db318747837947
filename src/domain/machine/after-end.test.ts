import { compileCampaign } from '../compiler';
import { campaignWith } from '../testing/campaigns';
import { compiled as compiledPlan, TestJourney } from '../testing/journey';
import { alreadyTakenOrCancelled, entersAfterEnd, seenByEndedJourney, seededSeenIds, withoutCancelledEntry } from './after-end';
import { initialJourneyState, LIMITS, type JourneyState } from './state';

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

  it('begins no next journey for an entry event delivered to running journeys only (patch signal-only-begins-nothing)', () => {
    const signalOnly = { ...event('signup'), signalOnly: true };
    expect(entersAfterEnd(plan, ended, signalOnly)).toBe(false);
    expect(entersAfterEnd(plan, ended, signalOnly, () => true)).toBe(false);
    // Journeys from before the patch kept it for a next journey.
    expect(entersAfterEnd(plan, ended, signalOnly, () => false)).toBe(true);
  });

  it('asks the patch only for an entry event delivered as a signal only', () => {
    let asked = 0;
    const ask = () => {
      asked++;
      return true;
    };
    entersAfterEnd(plan, ended, event('signup'), ask);
    entersAfterEnd(plan, ended, { ...event('page.viewed'), signalOnly: true }, ask);
    expect(asked).toBe(0);
    entersAfterEnd(plan, ended, { ...event('signup'), signalOnly: true }, ask);
    expect(asked).toBe(1);
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

const once = () => compiledPlan(campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }));

const entryOf = (id: string) =>
  ({ version: 1 as const, kind: 'event' as const, user: {}, event: { version: 1 as const, id, type: 'order.completed', userId: 'u', occurredAt: '2026-12-02T00:00:00Z', properties: {} } });

describe('entries that reach an ended journey (patch kept-entries-checked)', () => {
  it('tells an entry the journey took, or had cancelled, from a new one', () => {
    const plan = once();
    const j = new TestJourney(plan);
    j.event('order.completed', {}, { id: 'o-1' });
    j.event('finish');
    j.cancel('o-9');
    expect(j.state.status).toBe('ended');
    // Each would still begin the next journey: the check comes on top of entersAfterEnd.
    for (const id of ['o-1', 'o-9', 'o-2']) expect(entersAfterEnd(plan, j.state, entryOf(id))).toBe(true);
    expect(alreadyTakenOrCancelled(j.state, entryOf('o-1'))).toBe(true);
    expect(alreadyTakenOrCancelled(j.state, entryOf('o-9'))).toBe(true);
    expect(alreadyTakenOrCancelled(j.state, entryOf('o-2'))).toBe(false);
  });

  it('drops the kept entry of a cancelled event, and only that one', () => {
    const kept = [entryOf('o-2'), { version: 1 as const, kind: 'scheduledEntry' as const, tickId: 't-1', user: {} }, entryOf('o-3')];
    expect(withoutCancelledEntry(kept, 'o-2')).toEqual([kept[1], kept[2]]);
    expect(withoutCancelledEntry(kept, 't-1')).toEqual(kept);
  });
});

describe('what an ended journey passes on to the next one (patch seen-events-outlive-run, review-53-diff-a #1)', () => {
  it('the ids it took or saw cancelled, less those of the entries it kept for the next one', () => {
    const j = new TestJourney(once());
    j.event('order.completed', {}, { id: 'O' });
    j.event('finish');
    j.cancel('C');
    expect(j.state.status).toBe('ended');
    const tick = { version: 1 as const, kind: 'scheduledEntry' as const, tickId: 't-1', tickKey: '2026-10-25T02:30', user: {} };
    const ended: JourneyState = { ...j.state, seenEventIds: [...j.state.seenEventIds, 'P', 'tick:t-1', 'tick@2026-10-25T02:30'], cancelledEventIds: [...j.state.cancelledEventIds, 'P'] };
    const passed = seenByEndedJourney(ended, [entryOf('P'), tick]);
    expect(passed.seenEventIds).toEqual(expect.arrayContaining(['O', 'C']));
    expect(passed.seenEventIds).not.toEqual(expect.arrayContaining(['P']));
    expect(passed.seenEventIds.filter((id) => id.startsWith('tick'))).toEqual([]);
    expect(passed.cancelledEventIds).toEqual(['C']);
  });

  it('as bounded as the state bounds them: a cancelled event no longer among the ids seen is passed on with the cancelled ones', () => {
    const base = initialJourneyState(once(), { campaignKey: 'k', userId: 'u', seed: 'w' });
    const seen = Array.from({ length: LIMITS.seenEventIds }, (_, i) => `e-${i}`);
    const passed = seenByEndedJourney({ ...base, status: 'ended', seenEventIds: seen, cancelledEventIds: ['C-old'] }, []);
    expect(passed).toEqual({ seenEventIds: seen, cancelledEventIds: ['C-old'] });
  });

  it('the next journey begins with them, then the ids its start lookup found taken, once each and bounded', () => {
    expect(seededSeenIds(['O', 'C'], ['P', 'O'])).toEqual(['O', 'C', 'P']);
    expect(seededSeenIds([], ['P'])).toEqual(['P']);
    const many = Array.from({ length: LIMITS.seenEventIds }, (_, i) => `e-${i}`);
    expect(seededSeenIds(many, ['P'])).toEqual([...many.slice(1), 'P']);
  });

  it('a resend of an event the ended journey took does not enter the next journey begun with them', () => {
    const plan = compiledPlan(campaignWith({ start: { end: true } }, { participation: { maxEntries: 3 } }));
    const ended = new TestJourney(plan, { now: '2026-12-02T10:00:00Z' });
    ended.event('order.completed', {}, { id: 'O' });
    ended.exit('support request');
    const next = new TestJourney(plan, { now: '2026-12-02T10:05:00Z' });
    next.state = { ...next.state, entries: 1, seenEventIds: seededSeenIds(seenByEndedJourney(ended.state, [entryOf('P')]).seenEventIds, []) };
    next.event('order.completed', {}, { id: 'P' });
    next.event('order.completed', {}, { id: 'O' });
    expect(ended.state.status).toBe('ended');
    expect(next.state.entries).toBe(2);
    expect(next.notes().join('\n')).toMatch(/event O was already received/);
  });
});
