import { compiled, TestJourney } from '../testing/journey';
import { entryCandidates, eventEntryCause, seenIdsTakenBefore, tickEntryCause } from './entry-causes';
import { LIMITS } from './state';

describe('entry causes (patch seen-events-outlive-run)', () => {
  it("are the causes `step` writes on an entry's log row", () => {
    const plan = compiled({ key: 'c', name: 'c', entry: { on: 'order.completed' }, participation: { maxEntries: 5 }, initial: 'a', states: { a: { end: true } } });
    const j = new TestJourney(plan);
    j.event('order.completed', {}, { id: 'O-1' });
    const entry = j.effects.find((e) => e.kind === 'recordTransition' && e.from === null) as { cause: string };
    expect(entry.cause).toBe(eventEntryCause('order.completed', 'O-1'));
    const cron = compiled({ key: 'k', name: 'k', entry: { cron: '0 10 * * 1' }, participation: { maxEntries: 5 }, initial: 'a', states: { a: { end: true } } });
    const t = new TestJourney(cron);
    t.apply({ version: 1, kind: 'scheduledEntry', tickId: 't-9', now: t.now });
    expect((t.effects.find((e) => e.kind === 'recordTransition' && e.from === null) as { cause: string }).cause).toBe(tickEntryCause('t-9'));
  });

  it('takes the events and ticks of an inbox once each, and maps the causes found back to the ids `step` remembers', () => {
    const inbox = [
      { kind: 'event', event: { id: 'O', type: 'order.completed' } },
      { kind: 'cancelEvent', eventId: 'X' },
      { kind: 'event', event: { id: 'O', type: 'order.completed' } },
      { kind: 'scheduledEntry', tickId: 't1' },
      { kind: 'event', event: { id: 'P', type: 'order.completed' } },
    ];
    const candidates = entryCandidates(inbox);
    expect(candidates).toEqual([
      { seenId: 'O', cause: 'order.completed O' },
      { seenId: 'tick:t1', cause: 'scheduled entry t1' },
      { seenId: 'P', cause: 'order.completed P' },
    ]);
    expect(seenIdsTakenBefore(candidates, ['scheduled entry t1', 'order.completed O'])).toEqual(['O', 'tick:t1']);
    expect(seenIdsTakenBefore(candidates, [])).toEqual([]);
  });

  it('asks about at most as many as a journey remembers', () => {
    const many = Array.from({ length: LIMITS.seenEventIds + 5 }, (_, i) => ({ kind: 'event', event: { id: `e${i}`, type: 'visit' } }));
    const candidates = entryCandidates(many);
    expect(candidates).toHaveLength(LIMITS.seenEventIds);
    expect(candidates[candidates.length - 1].seenId).toBe(`e${LIMITS.seenEventIds + 4}`);
  });
});
