import { MAX_TIMER_MS } from '../durations';
import { campaignWith } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { scheduleEndWaitMs, scheduleToLearn } from './schedule-end';

const ENDS_AT = '2026-11-21T12:00:00Z';

/** Enters on order.completed, up to five times, until ENDS_AT; a path ends on `finish`. */
const returning = (schedule: Record<string, unknown> = { endsAt: ENDS_AT }) =>
  compiled(campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }, { participation: { maxEntries: 5 }, schedule }));

/** An idle journey (one entry, its path ended) at 10:00, two hours before the schedule ends. */
function idleJourney(plan = returning()) {
  const j = new TestJourney(plan, { now: '2026-11-21T10:00:00Z' });
  j.event('order.completed');
  j.event('finish');
  expect(j.state.status).toBe('idle');
  return j;
}

describe('the end of a campaign schedule (patch schedule-end-held-apart)', () => {
  it('makes an idle journey wait until just past endsAt, and no other journey', () => {
    const j = idleJourney();
    expect(scheduleEndWaitMs(j.plan, j.state, j.now)).toBe(Date.parse(ENDS_AT) - j.now + 1);
    const active = new TestJourney(returning(), { now: '2026-11-21T10:00:00Z' });
    active.event('order.completed');
    expect(active.state.status).toBe('active');
    expect(scheduleEndWaitMs(active.plan, active.state, active.now)).toBeNull();
    const open = idleJourney(returning({}));
    expect(scheduleEndWaitMs(open.plan, open.state, open.now)).toBeNull();
  });

  it('waits at most the longest timer Kairos sets, and a moment once endsAt is behind it', () => {
    const j = idleJourney(returning({ endsAt: '2200-01-01T00:00:00Z' }));
    expect(scheduleEndWaitMs(j.plan, j.state, j.now)).toBe(MAX_TIMER_MS);
    const late = idleJourney();
    expect(scheduleEndWaitMs(late.plan, late.state, Date.parse(ENDS_AT) + 60_000)).toBe(1);
  });

  it('ends the idle journey when told after endsAt, saying why', () => {
    const j = idleJourney();
    j.now = Date.parse(ENDS_AT) + 1;
    j.apply({ version: 1, kind: 'scheduleEnded', now: j.now });
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: the campaign schedule ended');
    expect(j.lastEffects('end')).toEqual([{ kind: 'end', reason: 'completed: the campaign schedule ended' }]);
  });

  it('changes nothing when told before endsAt (a wait capped at the longest timer): the journey waits on', () => {
    const j = idleJourney();
    j.wait(60);
    j.apply({ version: 1, kind: 'scheduleEnded', now: j.now });
    expect(j.state.status).toBe('idle');
    expect(j.notes()).toEqual(["ignored: the campaign's schedule ends at 2026-11-21T12:00:00.000Z: waiting on"]);
  });
});

describe('the schedule an activation tells a running journey (patch schedule-end-follows-activation)', () => {
  const LATER = '2026-11-30T00:00:00Z';
  const tell = (j: TestJourney, endsAt: string | null, activatedAt: string, campaignVersion = 2) =>
    j.apply({ version: 1, kind: 'scheduleChanged', now: j.now, campaignVersion, endsAt: endsAt === null ? null : Date.parse(endsAt), activatedAt: Date.parse(activatedAt) });

  it("keeps an idle journey past its own version's end when the campaign was extended, and ends it at the new end", () => {
    const j = idleJourney();
    tell(j, LATER, '2026-11-21T10:30:00Z');
    expect(j.notes()).toEqual(["waiting: v2 was activated: the campaign's schedule ends at 2026-11-30T00:00:00.000Z"]);
    expect(scheduleEndWaitMs(j.plan, j.state, j.now)).toBe(Date.parse(LATER) - j.now + 1);
    j.now = Date.parse(ENDS_AT) + 1;
    j.apply({ version: 1, kind: 'scheduleEnded', now: j.now });
    expect(j.state.status).toBe('idle');
    j.now = Date.parse(LATER) + 1;
    j.apply({ version: 1, kind: 'scheduleEnded', now: j.now });
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: the campaign schedule ended');
  });

  it('gives a journey whose version has no end the end a newer version set, and ends it at once when that end has passed', () => {
    const open = idleJourney(returning({}));
    expect(scheduleEndWaitMs(open.plan, open.state, open.now)).toBeNull();
    tell(open, ENDS_AT, '2026-11-21T10:30:00Z');
    expect(scheduleEndWaitMs(open.plan, open.state, open.now)).toBe(Date.parse(ENDS_AT) - open.now + 1);
    const late = idleJourney(returning({}));
    tell(late, '2026-11-21T09:00:00Z', '2026-11-21T10:30:00Z');
    expect(late.state.status).toBe('ended');
    expect(late.state.endReason).toBe('completed: the campaign schedule ended');
  });

  it('takes an end removed by the newer version, and keeps the later activation of two told out of order', () => {
    const j = idleJourney();
    tell(j, null, '2026-11-21T10:40:00Z', 3);
    expect(scheduleEndWaitMs(j.plan, j.state, j.now)).toBeNull();
    tell(j, LATER, '2026-11-21T10:30:00Z', 2);
    expect(j.notes()).toEqual(['ignored: the schedule of v2 was told after that of v3, activated later']);
    expect(j.state.scheduleTold).toEqual({ campaignVersion: 3, endsAt: null, activatedAt: Date.parse('2026-11-21T10:40:00Z') });
    j.now = Date.parse(LATER) + 1;
    j.apply({ version: 1, kind: 'scheduleEnded', now: j.now });
    expect(j.state.status).toBe('idle');
  });

  it('does not end a journey whose path still runs: it ends once its path does, after the told end', () => {
    const j = new TestJourney(returning({}), { now: '2026-11-21T10:00:00Z' });
    j.event('order.completed');
    tell(j, '2026-11-21T09:00:00Z', '2026-11-21T10:30:00Z');
    expect(j.state.status).toBe('active');
    j.event('finish');
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: the campaign schedule ended');
  });

  it('judges a new entry by the told end: a journey with a path running takes none after it', () => {
    const parallel = compiled(
      campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }, { participation: { mode: 'parallel', maxActive: 3, maxEntries: 5 } }),
    );
    const j = new TestJourney(parallel, { now: '2026-11-21T10:00:00Z' });
    j.event('order.completed');
    tell(j, '2026-11-21T09:00:00Z', '2026-11-21T10:30:00Z');
    j.event('order.completed');
    expect(j.state.paths).toHaveLength(1);
    expect(j.notes().join(' ')).toContain('the campaign ended at 2026-11-21T09:00:00.000Z');
  });

  it("learns at a run's start what it was not told: another version active, or a later activation than the one it was told", () => {
    const j = idleJourney();
    const active = { campaignVersion: 2, endsAt: Date.parse(LATER), activatedAt: Date.parse('2026-11-21T10:30:00Z') };
    expect(scheduleToLearn(j.plan, j.state, { ...active, campaignVersion: j.plan.version })).toBeNull();
    expect(scheduleToLearn(j.plan, j.state, active)).toEqual({ kind: 'scheduleChanged', ...active });
    tell(j, LATER, '2026-11-21T10:30:00Z');
    expect(scheduleToLearn(j.plan, j.state, active)).toBeNull();
    const back = { campaignVersion: j.plan.version, endsAt: Date.parse(ENDS_AT), activatedAt: Date.parse('2026-11-21T10:40:00Z') };
    expect(scheduleToLearn(j.plan, j.state, back)).toEqual({ kind: 'scheduleChanged', ...back });
  });
});
