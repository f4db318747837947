import { campaignWith } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { entersAfterEnd } from './after-end';

const returning = () =>
  compiled(campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }, { participation: { maxEntries: 5 } }));

describe('an archived campaign', () => {
  it('ends an idle journey at once, saying why', () => {
    const j = new TestJourney(returning());
    j.event('order.completed');
    j.event('finish');
    expect(j.state.status).toBe('idle');
    j.campaignArchived();
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: the campaign was archived');
    expect(j.lastEffects('end')).toEqual([{ kind: 'end', reason: 'completed: the campaign was archived' }]);
  });

  it('lets a running path finish, then ends the journey instead of waiting for the next entry', () => {
    const j = new TestJourney(returning());
    j.event('order.completed');
    j.campaignArchived();
    expect(j.state.status).toBe('active');
    expect(j.notes()).toEqual(['waiting: the campaign was archived: the journey ends when its path ends']);
    j.event('finish');
    expect(j.currentStates()).toEqual([]);
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: the campaign was archived');
  });

  it('is said once: a second archive changes nothing', () => {
    const j = new TestJourney(returning());
    j.event('order.completed');
    j.campaignArchived();
    const before = structuredClone(j.state.paths);
    j.campaignArchived();
    expect(j.notes()).toEqual(['ignored: the campaign was already archived']);
    expect(j.state.paths).toEqual(before);
    expect(j.state.status).toBe('active');
  });

  it('keeps no entry for a next journey once it ended', () => {
    const plan = returning();
    const j = new TestJourney(plan);
    j.campaignArchived();
    expect(j.state.status).toBe('ended');
    const entry = { version: 1 as const, kind: 'event' as const, user: {}, event: { version: 1 as const, id: 'e9', type: 'order.completed', userId: 'u', occurredAt: '2026-12-02T00:00:00Z', properties: {} } };
    expect(entersAfterEnd(plan, j.state, entry)).toBe(false);
    // An ended journey that was not archived does keep it.
    expect(entersAfterEnd(plan, { ...j.state, campaignArchived: undefined }, entry)).toBe(true);
  });

  it('leaves journeys of campaigns that were not archived idle', () => {
    const j = new TestJourney(returning());
    j.event('order.completed');
    j.event('finish');
    j.event('order.completed');
    j.event('finish');
    expect(j.state.status).toBe('idle');
    expect(j.state.entries).toBe(2);
  });
});
