import type { JourneyEvent } from '../event';
import { campaignWith } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { preview } from './preview';
import { describeEntry, movedToVersion, versionToFollow } from './routed-entry';

/** A one-step campaign: enter on `on`, give `points`, end. */
const giving = (on: string, points: number, participation: Record<string, unknown>) =>
  compiled(
    campaignWith(
      { give: { actions: { steps: [{ id: `give${points}`, type: 'points', amount: points }] }, transitions: [{ to: 'done' }] }, done: { end: true } },
      { key: 're', initial: 'give', entry: { on }, participation },
    ),
  );

const event = (id: string, type = 'visit'): JourneyEvent => ({ version: 1, id, type, userId: 'u-1', occurredAt: '2026-11-21T10:00:00Z', properties: {} });
const routed = (id: string, campaignVersion?: number, type = 'visit') => ({ version: 1 as const, kind: 'event' as const, event: event(id, type), ...(campaignVersion === undefined ? {} : { campaignVersion }) });

/** A journey on `plan` that entered once and whose path has ended (idle). */
function idleAfterOneEntry(participation: Record<string, unknown>): TestJourney {
  const j = new TestJourney(giving('visit', 1, participation));
  j.event('visit', {}, { id: 're-1' });
  j.succeedAll();
  expect(j.state.status).toBe('idle');
  return j;
}

describe('versionToFollow: when an idle journey moves to the version an entry was routed to', () => {
  it('moves an idle journey for an entry routed to another version', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    expect(versionToFollow(j.state, 1, routed('re-2', 2))).toBe(2);
    expect(versionToFollow(j.state, 1, { version: 1, kind: 'scheduledEntry', tickId: 't-1', campaignVersion: 2 })).toBe(2);
  });

  it('stays for an entry routed to its own version, a signal delivery (no version), or a malformed version', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    expect(versionToFollow(j.state, 1, routed('re-2', 1))).toBeNull();
    expect(versionToFollow(j.state, 1, routed('re-2'))).toBeNull();
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(versionToFollow(j.state, 1, routed('re-2', bad))).toBeNull();
    expect(versionToFollow(j.state, 1, { version: 1, kind: 'timer', timerId: 't' })).toBeNull();
  });

  it('keeps a journey with a path pinned: only new entries move', () => {
    const j = new TestJourney(giving('visit', 1, { maxEntries: 3 }));
    j.event('visit', {}, { id: 're-1' });
    expect(j.state.paths).toHaveLength(1);
    expect(versionToFollow(j.state, 1, routed('re-2', 2))).toBeNull();
  });

  it('does not move an ended journey, nor for an entry it has already seen or had cancelled', () => {
    const ended = new TestJourney(giving('visit', 1, { maxEntries: 1 }));
    ended.event('visit', {}, { id: 're-1' });
    ended.succeedAll();
    expect(ended.state.status).toBe('ended');
    expect(versionToFollow(ended.state, 1, routed('re-2', 2))).toBeNull();
    const j = idleAfterOneEntry({ maxEntries: 3 });
    expect(versionToFollow(j.state, 1, routed('re-1', 2))).toBeNull();
    j.cancel('re-9');
    expect(versionToFollow(j.state, 1, routed('re-9', 2))).toBeNull();
  });
});

describe('movedToVersion: what an idle journey takes to the new version', () => {
  it('relabels the state, keeps participation, and says why in the trace without touching the old state', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    const before = structuredClone(j.state);
    const moved = movedToVersion(j.state, 2, Date.parse('2026-11-22T00:00:00Z'), describeEntry(routed('re-2', 2)));
    expect(j.state).toEqual(before);
    expect(moved).toMatchObject({ planVersion: 2, entries: 1, entryTimes: before.entryTimes, seenEventIds: before.seenEventIds, rewards: before.rewards, status: 'idle' });
    expect(moved.trace.at(-1)).toEqual({
      at: '2026-11-22T00:00:00.000Z',
      input: 'event visit re-2',
      notes: [{ kind: 'version', message: 'idle on v1: continues on v2, the version this entry was routed to' }],
    });
  });

  it('counts maxEntries across versions: the moved journey enters on v2 until the cap, then ends', () => {
    const j = idleAfterOneEntry({ maxEntries: 2 });
    const v2 = new TestJourney(giving('visit', 2, { maxEntries: 2 }));
    v2.state = movedToVersion(j.state, 2, v2.now, 'event visit re-2');
    v2.event('visit', {}, { id: 're-2' });
    expect(v2.lastEffects('runAction')).toEqual([expect.objectContaining({ stepId: 'give2', pathId: 'p2' })]);
    v2.succeedAll();
    expect(v2.state).toMatchObject({ entries: 2, status: 'ended' });
  });

  it('keeps the cooldown across versions: an entry too soon after the v1 one is refused on v2', () => {
    const j = idleAfterOneEntry({ maxEntries: 5, cooldown: 'PT1H' });
    const v2 = new TestJourney(giving('visit', 2, { maxEntries: 5, cooldown: 'PT1H' }));
    v2.now = j.now + 60_000;
    v2.state = movedToVersion(j.state, 2, v2.now, 'event visit re-2');
    v2.event('visit', {}, { id: 're-2' });
    expect(v2.state.entries).toBe(1);
    expect(v2.notes().join('\n')).toMatch(/refused: cooldown PT1H/);
  });

  it('lets a v2 entry type in once the journey is on v2, though v1 never entered on it', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    const v2 = new TestJourney(giving('a2', 2, { maxEntries: 3 }));
    v2.state = movedToVersion(j.state, 2, v2.now, 'event a2 re-2');
    v2.event('a2', {}, { id: 're-2' });
    expect(v2.state).toMatchObject({ entries: 2, planVersion: 2 });
    expect(v2.state.paths.map((p) => p.pathId)).toEqual(['p2']);
  });
});

describe('an event delivered as a plain signal (the campaign paused, or a type the active version does not enter on)', () => {
  const signalled = (j: TestJourney, id: string, type = 'visit') =>
    j.apply({ version: 1, kind: 'event', event: { ...event(id, type), userId: j.state.userId }, now: j.now, signalOnly: true });

  it('never enters an idle journey, and says why in the trace', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    signalled(j, 're-2');
    expect(j.state).toMatchObject({ entries: 1, status: 'idle', paths: [] });
    expect(j.notes().join('\n')).toMatch(/no entry: Kairos delivered this event to running journeys only/);
    // Delivered to start a journey (the campaign active and entering on it), the same event enters.
    j.apply({ ...routed('re-3', 1), now: j.now });
    expect(j.state.entries).toBe(2);
  });

  it('starts no second path in a parallel journey, while the running path still counts it', () => {
    const plan = compiled(
      campaignWith(
        { wait: { transitions: [{ to: 'done', when: "count('visit') >= 2" }] }, done: { end: true } },
        { key: 're', initial: 'wait', entry: { on: 'visit' }, participation: { mode: 'parallel', maxEntries: 5 } },
      ),
    );
    const j = new TestJourney(plan);
    j.event('visit', {}, { id: 'p-1' });
    expect(j.state.paths).toHaveLength(1);
    signalled(j, 'p-2');
    expect(j.state.entries).toBe(1);
    // The one path saw it: its count reached 2, so it moved on and ended.
    expect(j.state.paths).toHaveLength(0);
  });

  it('enters as before for a journey from before patch routed-entries-held-events', () => {
    const j = new TestJourney(giving('visit', 1, { maxEntries: 3 }), { stepOptions: { routedEntriesHeldEvents: false } });
    j.event('visit', {}, { id: 're-1' });
    j.succeedAll();
    signalled(j, 're-2');
    expect(j.state.entries).toBe(2);
  });
});

describe('preview of a signal delivery', () => {
  it('says no entry, and a journey from before patch routed-entries-held-events previews the entry it would make', () => {
    const j = idleAfterOneEntry({ maxEntries: 3 });
    const delivered = { ...event('re-2'), delivery: 'signal' as const };
    const context = { userId: 'u-1', user: {}, now: j.now };
    expect(preview(j.plan, j.state, delivered, context)).toMatchObject({ entered: false, refusedBecause: expect.stringMatching(/^no entry: Kairos delivered this event/) });
    expect(preview(j.plan, j.state, delivered, { ...context, stepOptions: { routedEntriesHeldEvents: false } })).toMatchObject({ entered: true });
  });
});

