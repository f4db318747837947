import { campaignWith, spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';

const simple = (extra: Record<string, unknown> = {}) =>
  compiled(campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }, extra));

/** spend-and-post with the window of CAMPAIGNS.md's example, which ends in 2026 (the example file's runs to 2099, so its demos keep working). */
function endingIn2026() {
  const c = spendAndPost();
  return { ...c, schedule: { ...c.schedule, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-31T23:59:59Z' } };
}

describe('entry', () => {
  it('enters on an entry type when audience and entry.if hold', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
    j.event('order.completed', { amount: 25 });
    expect(j.currentStates()).toEqual(['collecting']);
    expect(j.lastEffects('recordTransition')).toEqual([expect.objectContaining({ from: null, to: 'collecting' })]);
    expect(j.lastEffects('updateSearchAttributes')).toEqual([{ kind: 'updateSearchAttributes', JourneyState: ['collecting'] }]);
  });

  it('refuses users outside the audience, saying why', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 1 } });
    j.event('order.completed', { amount: 25 });
    expect(j.currentStates()).toEqual([]);
    expect(j.notes().join('\n')).toMatch(/refused: not in the audience: user.level >= 2/);
  });

  it('merges the event\'s user property into the profile', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 1 } });
    j.event('order.completed', { amount: 25, user: { level: 3 } });
    expect(j.currentStates()).toEqual(['collecting']);
  });

  it('refuses when entry.if is false', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
    j.event('order.completed', { amount: 0 });
    expect(j.notes().join('\n')).toMatch(/entry.if does not hold: event.amount > 0/);
  });

  it('enters only within the schedule', () => {
    const early = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2026-10-31T23:59:59Z' });
    early.event('order.completed', { amount: 25 });
    expect(early.notes().join('\n')).toMatch(/starts at 2026-11-01/);
    const late = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2027-01-01T00:00:00Z' });
    late.event('order.completed', { amount: 25 });
    expect(late.notes().join('\n')).toMatch(/ended at/);
  });

  it('judges the schedule window by when Kairos received the event, not by when its delivery arrived (patch entry-window-by-receipt; edges probe)', () => {
    // endingIn2026 takes entries 2026-11-01T00:00:00Z to 2026-12-31T23:59:59Z.
    const delayed = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2027-01-01T00:05:00Z' });
    delayed.event('order.completed', { amount: 25 }, { receivedAt: '2026-12-31T23:59:00Z' });
    expect(delayed.currentStates()).toEqual(['collecting']);
    const early = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2026-11-01T00:05:00Z' });
    early.event('order.completed', { amount: 25 }, { receivedAt: '2026-10-31T23:59:00Z' });
    expect({ states: early.currentStates(), notes: early.notes().join('\n') }).toEqual({ states: [], notes: expect.stringContaining('the campaign starts at 2026-11-01T00:00:00.000Z (the event was received at 2026-10-31T23:59:00.000Z)') });
    // Journeys from before the patch judge by now, as they ran; so does an event without a receipt.
    const before = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2027-01-01T00:05:00Z', stepOptions: { entryWindowByReceipt: false } });
    before.event('order.completed', { amount: 25 }, { receivedAt: '2026-12-31T23:59:00Z' });
    expect(before.notes().join('\n')).toMatch(/refused: the campaign ended at 2026-12-31T23:59:59.000Z$/m);
    const unstamped = new TestJourney(compiled(endingIn2026()), { user: { level: 2 }, now: '2027-01-01T00:05:00Z' });
    unstamped.event('order.completed', { amount: 25 });
    expect(unstamped.currentStates()).toEqual([]);
  });

  it('ignores events of other types when no path is active', () => {
    const j = new TestJourney(simple());
    j.event('post.created');
    expect(j.state.entries).toBe(0);
    expect(j.state.status).toBe('idle');
  });
});

describe('participation caps', () => {
  it('maxEntries (default 1): the journey ends once the only path ends', () => {
    const j = new TestJourney(simple());
    j.event('order.completed');
    j.event('finish');
    expect(j.lastEffects('end')).toEqual([{ kind: 'end', reason: expect.stringMatching(/maxEntries/) }]);
    j.event('order.completed');
    expect(j.state.entries).toBe(1);
    expect(j.notes()).toEqual([expect.stringMatching(/ignored: the journey ended/)]);
  });

  it('maxEntries > 1 lets the user enter again once the path ended', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 2 } }));
    j.event('order.completed');
    j.event('finish');
    expect(j.state.status).toBe('idle');
    j.event('order.completed');
    expect(j.state.paths.map((p) => p.pathId)).toEqual(['p2']);
    j.event('finish');
    expect(j.state.status).toBe('ended');
  });

  it('serial: a new entry while a path is active is refused, with the reason', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 5, mode: 'serial' } }));
    j.event('order.completed');
    j.event('order.completed');
    expect(j.state.paths).toHaveLength(1);
    expect(j.notes().join('\n')).toMatch(/serial mode: path p1 is still active \(in start\)/);
  });

  it('parallel: up to maxActive paths at once', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 5, mode: 'parallel', maxActive: 2 } }));
    j.event('order.completed');
    j.event('order.completed');
    j.event('order.completed');
    expect(j.state.paths.map((p) => p.pathId)).toEqual(['p1', 'p2']);
    expect(j.notes().join('\n')).toMatch(/maxActive is 2/);
    j.event('finish');
    expect(j.state.paths).toHaveLength(0);
  });

  it('cooldown between entries', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 5, cooldown: 'PT10S' } }));
    j.event('order.completed');
    j.event('finish');
    j.wait(5).event('order.completed');
    expect(j.notes().join('\n')).toMatch(/cooldown PT10S/);
    j.wait(5).event('order.completed');
    expect(j.state.paths.map((p) => p.pathId)).toEqual(['p2']);
  });

  it('frequency: at most max entries per window', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 10, frequency: { max: 2, per: 'PT60S' } } }));
    for (let i = 0; i < 2; i++) {
      j.wait(1).event('order.completed');
      j.event('finish');
    }
    j.wait(1).event('order.completed');
    expect(j.notes().join('\n')).toMatch(/frequency: 2 entries within PT60S; at most 2/);
    j.wait(60).event('order.completed');
    expect(j.state.paths).toHaveLength(1);
  });
});

describe('exitOn', () => {
  it('ends every active path at once', () => {
    const plan = compiled(
      campaignWith(
        { start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } },
        { participation: { maxEntries: 5, mode: 'parallel' }, exitOn: [{ on: 'user.unsubscribed' }] },
      ),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.event('order.completed');
    j.event('user.unsubscribed');
    expect(j.state.paths).toHaveLength(0);
    expect(j.lastEffects('recordTransition').map((e) => e.to)).toEqual(['(exited)', '(exited)']);
    expect(j.lastEffects('cancelTimer')).toEqual([]);
  });

  it('respects its condition', () => {
    const plan = compiled(
      campaignWith(
        { start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } },
        { exitOn: [{ on: 'user.updated', if: 'event.optOut == true' }] },
      ),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.event('user.updated', { optOut: false });
    expect(j.state.paths).toHaveLength(1);
    j.event('user.updated', { optOut: true });
    expect(j.state.paths).toHaveLength(0);
  });

  it('an operator exit ends the journey', () => {
    const j = new TestJourney(simple({ participation: { maxEntries: 3 } }));
    j.event('order.completed');
    j.exit('support request');
    expect(j.state.status).toBe('ended');
    expect(j.lastEffects('end')).toEqual([{ kind: 'end', reason: 'support request' }]);
  });

  it('records how each path ended: an end state, or or an exit from where it was', () => {
    const plan = compiled(
      campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }, { participation: { maxEntries: 5, mode: 'parallel' } }),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.event('finish');
    j.event('order.completed');
    j.exit('reached end state done');
    expect(j.state.finished.map((f) => [f.state, f.reason, f.ending])).toEqual([
      ['done', 'reached end state done', 'end-state'],
      ['start', 'exit: reached end state done', 'exit'],
    ]);
  });
});

describe('scheduled (cron) entry', () => {
  it('enters a user in the audience once per tick', () => {
    const plan = compiled(
      campaignWith(
        { start: { actions: { steps: [{ type: 'points', amount: 500 }] }, end: true } },
        { entry: { cron: '0 9 * * *' }, audience: 'user.level >= 1', participation: { maxEntries: 3 } },
      ),
    );
    const j = new TestJourney(plan, { user: { level: 1 } });
    const tick = { version: 1 as const, kind: 'scheduledEntry' as const, tickId: 't1', user: { level: 1 }, now: j.now };
    j.apply(tick);
    expect(j.lastEffects('runAction')).toHaveLength(1);
    j.apply(tick);
    expect(j.last.effects).toEqual([]);
  });
});

describe('a scheduled entry judged at its tick (patch scheduled-entry-at-tick)', () => {
  const campaign = {
    key: 'birthday',
    name: 'birthday',
    schedule: { timezone: 'Europe/Berlin' },
    entry: { cron: '0 23 * * *' },
    audience: 'monthDay(user.birthday) == monthDay(now())',
    initial: 'gift',
    states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 5 }] }, end: true } },
  };
  const birthdays = compiled(campaign);
  // The tick was due at 23:00 in Berlin on 17 May; its page reaches the journey ten minutes past local midnight.
  const tickAt = '2026-05-17T21:00:00.000Z';
  const tick = (j: TestJourney, withTickAt: boolean) =>
    j.apply({ version: 1, kind: 'scheduledEntry', tickId: 't1', user: { birthday: '1990-05-17' }, now: j.now, ...(withTickAt ? { tickAt } : {}) });

  it('enters the user the batch chose on their birthday, though the page arrives the next local day', () => {
    const j = new TestJourney(birthdays, { now: '2026-05-17T22:10:00Z' });
    tick(j, true);
    expect(j.lastEffects('runAction')).toHaveLength(1);
  });

  it('judged by now without the tick time (a sender from before it), and for journeys from before the patch', () => {
    const j = new TestJourney(birthdays, { now: '2026-05-17T22:10:00Z' });
    tick(j, false);
    expect(j.notes()).toEqual(expect.arrayContaining([expect.stringMatching(/^refused: not in the audience/)]));
    const old = new TestJourney(birthdays, { now: '2026-05-17T22:10:00Z', stepOptions: { entryAtTick: false } });
    tick(old, true);
    expect(old.lastEffects('runAction')).toHaveLength(0);
  });

  it('says the tick time when the schedule window refuses', () => {
    const ended = compiled({ ...campaign, schedule: { timezone: 'Europe/Berlin', endsAt: '2026-05-17T20:00:00Z' } });
    const j = new TestJourney(ended, { now: '2026-05-17T22:10:00Z' });
    tick(j, true);
    expect(j.notes()).toEqual(expect.arrayContaining(['refused: the campaign ended at 2026-05-17T20:00:00.000Z (the tick was due at 2026-05-17T21:00:00.000Z)']));
  });
});

describe('two ticks of one local time (patch scheduled-entry-at-tick)', () => {
  const weekly = compiled({
    key: 'weekly',
    name: 'weekly',
    entry: { cron: '30 2 * * 0', timezone: 'Europe/Paris' },
    participation: { maxEntries: 52 },
    initial: 'gift',
    states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 5 }] }, end: true } },
  });
  // 02:30 on 25 October 2026 happens twice in Paris; Temporal's schedule runs each, as two ticks.
  const tick = (j: TestJourney, tickId: string, tickKey: string | undefined) =>
    j.apply({ version: 1, kind: 'scheduledEntry', tickId, user: {}, now: j.now, ...(tickKey ? { tickKey } : {}) });

  it('enters once; the next week enters again', () => {
    const j = new TestJourney(weekly, { now: '2026-10-25T00:31:00Z' });
    tick(j, 'batch-entry:weekly-2026-10-25T00:30:00Z', '2026-10-25T02:30');
    j.succeedAll();
    j.wait(3600);
    tick(j, 'batch-entry:weekly-2026-10-25T01:30:00Z', '2026-10-25T02:30');
    expect(JSON.stringify(j.last.trace)).toContain('a tick for 2026-10-25T02:30 (local time) was already handled');
    expect(j.state.entries).toBe(1);
    j.wait(7 * 86_400);
    tick(j, 'batch-entry:weekly-2026-11-01T01:30:00Z', '2026-11-01T02:30');
    expect(j.state.entries).toBe(2);
  });

  it('entered twice without the key (senders before it), and for journeys from before the patch', () => {
    const j = new TestJourney(weekly, { now: '2026-10-25T00:31:00Z' });
    tick(j, 'a', undefined);
    j.succeedAll();
    tick(j, 'b', undefined);
    expect(j.state.entries).toBe(2);
    const old = new TestJourney(weekly, { now: '2026-10-25T00:31:00Z', stepOptions: { entryAtTick: false } });
    tick(old, 'a', '2026-10-25T02:30');
    old.succeedAll();
    tick(old, 'b', '2026-10-25T02:30');
    expect(old.state.entries).toBe(2);
  });
});

/** A Monday 10:00 UTC cron campaign with a week of cooldown, and a tick of it given to a journey. */
function weeklyCooldown(states: Record<string, unknown>) {
  const weekly = compiled({ key: 'w', name: 'w', entry: { cron: '0 10 * * 1' }, participation: { maxEntries: 100, cooldown: 'P7D' }, initial: 'a', states });
  const tick = (j: TestJourney, tickId: string, tickAt: string) => j.apply({ version: 1, kind: 'scheduledEntry', tickId, user: {}, now: j.now, tickAt });
  return { weekly, tick };
}

describe('a weekly tick with a week of cooldown (patch scheduled-entry-at-tick)', () => {
  const { weekly, tick } = weeklyCooldown({ a: { actions: { steps: [{ id: 'pts', type: 'points', amount: 1 }] }, end: true } });

  it("measures the cooldown from tick to tick, not from when each week's page happened to arrive", () => {
    const j = new TestJourney(weekly, { now: '2026-05-04T10:00:05Z' });
    tick(j, 't1', '2026-05-04T10:00:00.000Z');
    expect(j.state.entryTimes).toEqual(['2026-05-04T10:00:00.000Z']);
    j.succeedAll();
    // Next week's page arrives 2 s after its tick, 3 s earlier in the week than last week's.
    j.wait(7 * 86_400 - 3);
    tick(j, 't2', '2026-05-11T10:00:00.000Z');
    expect(j.state.entries).toBe(2);
  });

  it('journeys from before the patch measured from arrivals, and refused', () => {
    const j = new TestJourney(weekly, { now: '2026-05-04T10:00:05Z', stepOptions: { entryAtTick: false } });
    tick(j, 't1', '2026-05-04T10:00:00.000Z');
    j.succeedAll();
    j.wait(7 * 86_400 - 3);
    tick(j, 't2', '2026-05-11T10:00:00.000Z');
    expect(j.state.entries).toBe(1);
  });
});

describe("a scheduled entry's log row (patch entry-row-at-tick)", () => {
  const { weekly, tick } = weeklyCooldown({ a: { end: true } });
  const entryRows = (j: TestJourney) => j.effects.filter((e) => e.kind === 'recordTransition' && e.from === null);

  it('carries the tick time its entry counts from, so a later run reading journey_entries counts the cooldown from the tick too', () => {
    // The page reached the user 40 minutes after the tick.
    const j = new TestJourney(weekly, { now: '2026-05-04T10:40:00Z' });
    tick(j, 't1', '2026-05-04T10:00:00.000Z');
    expect(entryRows(j)).toEqual([expect.objectContaining({ at: '2026-05-04T10:40:00.000Z', entryAt: '2026-05-04T10:00:00.000Z' })]);
    // A new run of the journey (after an exit, say) starts from what journey_entries holds: the row's entryAt.
    const later = new TestJourney(weekly, { now: '2026-05-11T10:00:30Z' });
    const row = entryRows(j)[0] as { entryAt?: string };
    later.state = { ...later.state, entries: 1, entryTimes: [row.entryAt ?? 'not recorded'] };
    tick(later, 't2', '2026-05-11T10:00:00.000Z');
    expect(later.state.entries).toBe(2);
  });

  it('carries none for an entry judged when it arrives, nor for journeys from before the patch', () => {
    const j = new TestJourney(weekly, { now: '2026-05-04T10:40:00Z', stepOptions: { entryRowAtTick: false } });
    tick(j, 't1', '2026-05-04T10:00:00.000Z');
    expect(entryRows(j)).toEqual([expect.not.objectContaining({ entryAt: expect.anything() })]);
    const onTime = new TestJourney(weekly, { now: '2026-05-04T10:00:00Z' });
    tick(onTime, 't1', '2026-05-04T10:00:00.000Z');
    expect(entryRows(onTime)).toEqual([expect.not.objectContaining({ entryAt: expect.anything() })]);
  });
});

describe('a weekly tick across the clock changes (patch scheduled-cooldown-local-days)', () => {
  const weeklyCampaign = {
    key: 'w',
    name: 'w',
    entry: { cron: '0 9 * * 0', timezone: 'Europe/Paris' },
    participation: { maxEntries: 100, cooldown: 'P7D', frequency: { max: 1, per: 'P7D' } },
    initial: 'a',
    states: { a: { end: true } },
  };
  const weekly = compiled(weeklyCampaign);
  const tick = (j: TestJourney, tickId: string, tickAt: string) => j.apply({ version: 1, kind: 'scheduledEntry', tickId, user: {}, now: j.now, tickAt });
  // Sunday 22 March 2026 09:00 CET, then Sunday 29 March 09:00 CEST: 167 hours apart.
  const first = '2026-03-22T08:00:00.000Z';
  const second = '2026-03-29T07:00:00.000Z';

  it('enters every Sunday: a week of cooldown and frequency ends at the same local time', () => {
    const j = new TestJourney(weekly, { now: first });
    tick(j, 't1', first);
    j.wait(167 * 3600);
    tick(j, 't2', second);
    expect(j.state.entryTimes).toEqual([first, second]);
    // An hour early by the local clock is still refused, saying when.
    const early = new TestJourney(weekly, { now: first });
    tick(early, 't1', first);
    early.wait(166 * 3600);
    tick(early, 't2', '2026-03-29T06:00:00.000Z');
    expect(early.state.entries).toBe(1);
    expect(early.notes().join('\n')).toMatch(/cooldown P7D since the last entry at 2026-03-22T08:00:00.000Z: next entry possible at 2026-03-29T07:00:00.000Z/);
  });

  it('enters at the first run of a time the autumn change repeats, and takes the second run for the same tick', () => {
    const early = compiled({ ...weeklyCampaign, entry: { cron: '30 2 * * 0', timezone: 'Europe/Paris' } });
    const j = new TestJourney(early, { now: '2026-10-18T00:30:00Z' });
    const tickAt = (tickId: string, when: string) => j.apply({ version: 1, kind: 'scheduledEntry', tickId, user: {}, now: j.now, tickAt: when, tickKey: '2026-10-25T02:30' });
    j.apply({ version: 1, kind: 'scheduledEntry', tickId: 'w42', user: {}, now: j.now, tickAt: '2026-10-18T00:30:00.000Z', tickKey: '2026-10-18T02:30' });
    j.wait(7 * 86_400);
    tickAt('w43-first', '2026-10-25T00:30:00.000Z');
    expect(j.state.entryTimes).toEqual(['2026-10-18T00:30:00.000Z', '2026-10-25T00:30:00.000Z']);
    j.wait(3600);
    tickAt('w43-second', '2026-10-25T01:30:00.000Z');
    expect(j.state.entries).toBe(2);
  });

  it('events keep fixed 24-hour days, and journeys from before the patch refused that Sunday', () => {
    const old = new TestJourney(weekly, { now: first, stepOptions: { tickCalendarDays: false } });
    tick(old, 't1', first);
    old.wait(167 * 3600);
    tick(old, 't2', second);
    expect(old.state.entries).toBe(1);
    expect(old.notes().join('\n')).toMatch(/next entry possible at 2026-03-29T08:00:00.000Z/);
    // An event's entry is not at a local time: its cooldown stays 168 hours.
    const onEvent = compiled({ key: 'e', name: 'e', entry: { on: 'visit' }, schedule: { timezone: 'Europe/Paris' }, participation: { maxEntries: 100, cooldown: 'P7D' }, initial: 'a', states: { a: { end: true } } });
    const events = new TestJourney(onEvent, { now: first });
    events.event('visit');
    events.wait(167 * 3600);
    events.event('visit');
    expect(events.state.entries).toBe(1);
    events.wait(3600);
    events.event('visit');
    expect(events.state.entries).toBe(2);
  });
});

describe('the starting event in an initial state with actions (patch routed-entries-held-events)', () => {
  const welcomed = compiled(
    campaignWith({
      start: {
        actions: { steps: [{ id: 'hi', type: 'message', channel: 'push', template: 'hi' }] },
        transitions: [{ to: 'won', on: 'order.completed', if: "count('order.completed') == 1" }],
      },
      won: { end: true },
    }),
  );
  const firstOrder = (routedEntriesHeldEvents?: boolean) => {
    const j = new TestJourney(welcomed, { stepOptions: { routedEntriesHeldEvents } });
    j.event('order.completed', {}, { id: 'o-1' });
    return j;
  };

  it('is held while the actions run and fires the state\'s `on` when they finish, counted once, as without actions', () => {
    const j = firstOrder();
    expect(j.state.paths[0].deferred?.map((e) => e.id)).toEqual(['o-1']);
    expect(j.notes()).toContainEqual('waiting: start: actions still running; order.completed o-1 is taken when they finish');
    j.wait(1).outcome('hi', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
    expect(j.all('recordTransition').at(-1)).toEqual(expect.objectContaining({ from: 'start', to: 'won' }));
  });

  it('is the initial state\'s only, as without actions: a `when` that moves the path as the actions finish does not take it along', () => {
    const vipFirst = (actions: boolean) => {
      const plan = compiled(
        campaignWith({
          start: {
            ...(actions ? { actions: { steps: [{ id: 'hi', type: 'message', channel: 'push', template: 'hi' }] } } : {}),
            transitions: [{ to: 'vip', when: 'user.vip == true' }, { to: 'plain', on: 'order.completed' }],
          },
          vip: { transitions: [{ to: 'won', on: 'order.completed' }] },
          plain: { end: true },
          won: { end: true },
        }),
      );
      const j = new TestJourney(plan, { user: { vip: true } });
      j.event('order.completed', {}, { id: 'o-1' });
      if (actions) j.wait(1).outcome('hi', 'succeeded');
      return j.currentStates();
    };
    expect(vipFirst(true)).toEqual(['vip']);
    expect(vipFirst(false)).toEqual(['vip']);
  });

  it('journeys from before the patch never offered it to a state with actions: the path waits for a second order', () => {
    const j = firstOrder(false);
    expect(j.state.paths[0].deferred).toBeUndefined();
    j.wait(1).outcome('hi', 'succeeded');
    expect(j.currentStates()).toEqual(['start']);
  });
});

describe('an event entry judged and recorded at its receipt (patch entry-times-by-receipt)', () => {
  const plan = (participation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    compiled({ key: 'r', name: 'r', entry: { on: 'order.completed' }, participation, initial: 'a', states: { a: { end: true } }, ...extra });
  const at = (j: TestJourney, iso: string) => {
    j.now = Date.parse(iso);
    return j;
  };
  const entryRows = (j: TestJourney) => j.effects.filter((e) => e.kind === 'recordTransition' && e.from === null);
  const hourCooldown = plan({ maxEntries: 5, cooldown: 'PT1H' });
  const old = { entryTimesByReceipt: false };

  it('an entry delivered late after an outage counts its cooldown from its receipt: a later order 90 minutes after it enters', () => {
    for (const stepOptions of [{}, old]) {
      const j = new TestJourney(hourCooldown, { now: '2026-11-21T11:05:00Z', stepOptions });
      j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T10:00:00Z' });
      expect(j.state.entries).toBe(1);
      at(j, '2026-11-21T11:30:00Z').event('order.completed', {}, { id: 'E2', receivedAt: '2026-11-21T11:30:00Z' });
      if (stepOptions === old) {
        // As journeys from before the patch ran: the entry counted from its delivery at 11:05.
        expect(j.state.entries).toBe(1);
        expect(j.notes().join('\n')).toMatch(/cooldown PT1H since the last entry at 2026-11-21T11:05:00.000Z/);
      } else {
        expect(j.state.entries).toBe(2);
        expect(j.state.entryTimes).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T11:30:00.000Z']);
      }
    }
  });

  it('an order received 30 minutes after an entry is refused, though its delivery came after the cooldown', () => {
    for (const stepOptions of [{}, old]) {
      const j = new TestJourney(hourCooldown, { now: '2026-11-21T10:00:00Z', stepOptions });
      j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T10:00:00Z' });
      at(j, '2026-11-21T11:05:00Z').event('order.completed', {}, { id: 'E2', receivedAt: '2026-11-21T10:30:00Z' });
      if (stepOptions === old) expect(j.state.entries).toBe(2);
      else {
        expect(j.state.entries).toBe(1);
        expect(j.notes().join('\n')).toMatch(/refused: cooldown PT1H since the last entry at 2026-11-21T10:00:00.000Z: next entry possible at 2026-11-21T11:00:00.000Z/);
      }
    }
  });

  it('frequency counts entries by their receipt too', () => {
    const hourly = plan({ maxEntries: 5, frequency: { max: 1, per: 'PT1H' } });
    const j = new TestJourney(hourly, { now: '2026-11-21T11:05:00Z' });
    j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T10:00:00Z' });
    at(j, '2026-11-21T11:30:00Z').event('order.completed', {}, { id: 'E2', receivedAt: '2026-11-21T11:30:00Z' });
    expect(j.state.entries).toBe(2);
    at(j, '2026-11-21T11:40:00Z').event('order.completed', {}, { id: 'E3', receivedAt: '2026-11-21T11:40:00Z' });
    expect(j.state.entries).toBe(2);
    expect(j.notes().join('\n')).toMatch(/frequency: 1 entries within PT1H; at most 1/);
  });

  it("the entry's log row carries its receipt, for its journey_entries row; an entry delivered at once carries none", () => {
    const j = new TestJourney(hourCooldown, { now: '2026-11-21T11:05:00Z' });
    j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T10:00:00Z' });
    expect(entryRows(j)).toEqual([expect.objectContaining({ at: '2026-11-21T11:05:00.000Z', entryAt: '2026-11-21T10:00:00.000Z' })]);
    const before = new TestJourney(hourCooldown, { now: '2026-11-21T11:05:00Z', stepOptions: old });
    before.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T10:00:00Z' });
    expect(entryRows(before)).toEqual([expect.not.objectContaining({ entryAt: expect.anything() })]);
    expect(before.state.entryTimes).toEqual(['2026-11-21T11:05:00.000Z']);
  });

  it('`now()` in the audience and entry.if is the receipt: an order received before midnight and delivered after it is judged on its day', () => {
    const birthday = plan({ maxEntries: 5 }, { audience: 'monthDay(user.birthday) == monthDay(now())' });
    const j = new TestJourney(birthday, { now: '2026-05-18T00:00:10Z', user: { birthday: '1990-05-17' } });
    j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-05-17T23:59:50Z' });
    expect(j.state.entries).toBe(1);
    const before = new TestJourney(birthday, { now: '2026-05-18T00:00:10Z', user: { birthday: '1990-05-17' }, stepOptions: old });
    before.event('order.completed', {}, { id: 'E1', receivedAt: '2026-05-17T23:59:50Z' });
    expect(before.state.entries).toBe(0);
    const ifNow = plan({ maxEntries: 5 }, { entry: { on: 'order.completed', if: 'monthDay(now()) == monthDay("2026-05-17")' } });
    const k = new TestJourney(ifNow, { now: '2026-05-18T00:00:10Z' });
    k.event('order.completed', {}, { id: 'E1', receivedAt: '2026-05-17T23:59:50Z' });
    expect(k.state.entries).toBe(1);
  });

  it('a receipt later than the delivery (the API clock ahead of Temporal\'s) is judged and recorded at the delivery, not in the future (review-53-diff-a #3)', () => {
    const j = new TestJourney(hourCooldown, { now: '2026-11-21T10:00:00Z' });
    j.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T12:00:00Z' });
    expect(j.state.entryTimes).toEqual(['2026-11-21T10:00:00.000Z']);
    expect(entryRows(j)).toEqual([expect.not.objectContaining({ entryAt: expect.anything() })]);
    // A correctly stamped order 70 minutes later is past the cooldown (at 12:00 it would have been refused until 13:00).
    at(j, '2026-11-21T11:10:00Z').event('order.completed', {}, { id: 'E2', receivedAt: '2026-11-21T11:10:00Z' });
    expect(j.state.entries).toBe(2);
    // `now()` in entry.if is the delivery's time, too.
    const ifNow = plan({ maxEntries: 5 }, { entry: { on: 'order.completed', if: 'monthDay(now()) == monthDay("2026-05-17")' } });
    const k = new TestJourney(ifNow, { now: '2026-05-17T23:00:00Z' });
    k.event('order.completed', {}, { id: 'E1', receivedAt: '2026-05-18T01:00:00Z' });
    expect(k.state.entries).toBe(1);
    // The schedule window as well: a receipt after endsAt while the delivery is inside the window enters.
    const ending = plan({ maxEntries: 5 }, { schedule: { endsAt: '2026-11-21T10:30:00Z' } });
    const w = new TestJourney(ending, { now: '2026-11-21T10:00:00Z' });
    w.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T12:00:00Z' });
    expect(w.state.entries).toBe(1);
    // Journeys from before the patch judge at the delivery anyway.
    const before = new TestJourney(hourCooldown, { now: '2026-11-21T10:00:00Z', stepOptions: old });
    before.event('order.completed', {}, { id: 'E1', receivedAt: '2026-11-21T12:00:00Z' });
    expect(before.state.entryTimes).toEqual(['2026-11-21T10:00:00.000Z']);
  });

  it('an event without a receipt (a sender from before it) is judged and recorded when it arrives', () => {
    const j = new TestJourney(hourCooldown, { now: '2026-11-21T11:05:00Z' });
    j.event('order.completed', {}, { id: 'E1' });
    expect(j.state.entryTimes).toEqual(['2026-11-21T11:05:00.000Z']);
    expect(entryRows(j)).toEqual([expect.not.objectContaining({ entryAt: expect.anything() })]);
  });
});
