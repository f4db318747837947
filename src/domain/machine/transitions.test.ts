import { campaignWith, spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { LIMITS } from './state';

const endStates = { won: { end: true }, lost: { end: true }, other: { end: true } };

/** A state whose message runs while `go` events and a 2 s deadline race: `won` on go, `lost` at the deadline. */
const goOrDeadline = () =>
  compiled(
    campaignWith({
      start: { actions: { steps: [{ type: 'message', channel: 'push', template: 'hi' }] }, transitions: [{ to: 'won', on: 'go' }, { to: 'lost', after: 'PT2S' }] },
      won: { end: true },
      lost: { end: true },
    }),
  );

describe('transitions', () => {
  it('on + if: fires on that event type when the condition holds', () => {
    const j = new TestJourney(compiled(campaignWith({ start: { transitions: [{ to: 'won', on: 'order.completed', if: 'event.amount >= 20' }] }, ...endStates, lost: undefined, other: undefined })));
    j.event('order.completed', { amount: 5 });
    expect(j.currentStates()).toEqual(['start']);
    j.event('order.completed', { amount: 25 });
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
  });

  it('on + if: aggregates already include the event being handled', () => {
    const j = new TestJourney(
      compiled(campaignWith({ start: { transitions: [{ to: 'won', on: 'order.completed', if: "count('order.completed') >= 3" }] }, won: { end: true } })),
    );
    j.event('order.completed');
    j.event('order.completed');
    expect(j.currentStates()).toEqual(['start']);
    j.event('order.completed');
    expect(j.state.finished[0]?.state).toBe('won');
  });

  it('the event that starts the journey is the first event of the initial state', () => {
    const j = new TestJourney(
      compiled(campaignWith({ start: { transitions: [{ to: 'won', when: "sum('order.completed', 'amount') >= 20" }] }, won: { end: true } })),
    );
    j.event('order.completed', { amount: 25 });
    expect(j.state.finished[0]?.state).toBe('won');
  });

  it('when: checked after every event, with a trace of what failed', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
    j.event('order.completed', { amount: 25 });
    for (let i = 0; i < 9; i++) j.wait(1).event('post.created');
    expect(j.currentStates()).toEqual(['collecting']);
    const miss = j.last.trace.notes.find((n) => n.kind === 'noTransition');
    expect(miss?.candidates?.[0].failed[0]).toEqual({ text: "count('post.created') >= 10", values: { "count('post.created')": '9' } });
    j.wait(1).event('post.created');
    expect(j.currentStates()).toEqual(['rewarded']);
  });

  it('after: a timer from state entry; a stale timer is ignored', () => {
    const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
    j.event('order.completed', { amount: 5 });
    expect(j.pendingTimers()).toEqual([{ kind: 'startTimer', timerId: 'p1/collecting/1/1', fireAt: '2026-11-24T10:00:00.000Z', summary: 'collecting → nudged after P3D' }]);
    j.wait(3 * 86400);
    j.fireDueTimers();
    expect(j.currentStates()).toEqual(['nudged']);
    j.apply({ version: 1, kind: 'timer', timerId: 'p1/collecting/1/1', now: j.now });
    expect(j.notes()).toEqual([expect.stringMatching(/timer p1\/collecting\/1\/1 belongs to a state the journey has left/)]);
  });

  it('at: fires at that time', () => {
    const j = new TestJourney(
      compiled(campaignWith({ start: { transitions: [{ to: 'won', at: '2026-12-01T09:00:00+08:00' }] }, won: { end: true } })),
    );
    j.event('order.completed');
    expect(j.pendingTimers()[0].fireAt).toBe('2026-12-01T01:00:00.000Z');
    j.now = new Date('2026-12-01T01:00:00Z').getTime();
    j.fireDueTimers();
    expect(j.state.finished[0]?.state).toBe('won');
  });

  it('immediate branches: the first that holds, the last may be unconditional', () => {
    const plan = compiled(
      campaignWith({
        start: { transitions: [{ to: 'branch', on: 'go' }] },
        branch: { transitions: [{ to: 'won', if: 'event.amount >= 100' }, { to: 'other', if: 'event.amount >= 10' }, { to: 'lost' }] },
        ...endStates,
      }),
    );
    const outcome = (amount: number) => {
      const j = new TestJourney(plan);
      j.event('order.completed');
      j.event('go', { amount });
      return j.state.finished[0]?.state;
    };
    expect([outcome(150), outcome(50), outcome(1)]).toEqual(['won', 'other', 'lost']);
  });

  it('first match: transitions are checked in order', () => {
    const plan = compiled(
      campaignWith({
        start: { transitions: [{ to: 'won', on: 'pay', if: 'event.amount > 10' }, { to: 'other', on: 'pay' }, { to: 'lost', on: 'pay' }] },
        ...endStates,
      }),
    );
    const finalState = (amount: number) => {
      const j = new TestJourney(plan);
      j.event('order.completed');
      j.event('pay', { amount });
      return j.state.finished[0]?.state;
    };
    expect(finalState(50)).toBe('won');
    expect(finalState(5)).toBe('other');
  });

  it('split: fixed per journey seed, spread by weight across journeys', () => {
    const plan = compiled(
      campaignWith({ start: { transitions: [{ split: [{ to: 'won', weight: 90 }, { to: 'lost', weight: 10 }] }] }, won: { end: true }, lost: { end: true } }),
    );
    const choose = (seed: string) => {
      const j = new TestJourney(plan, { seed });
      j.event('order.completed');
      return j.state.finished[0]?.state;
    };
    expect(choose('journey-a')).toBe(choose('journey-a'));
    const picks = Array.from({ length: 400 }, (_, i) => choose(`seed-${i}`));
    const won = picks.filter((p) => p === 'won').length;
    expect(won).toBeGreaterThan(320);
    expect(won).toBeLessThan(390);
  });

  it('split: one arm per journey, whichever entry or visit reaches it (an A/B test); per path and visit for journeys from before held-events-and-split-arms', () => {
    const plan = compiled(
      campaignWith({ start: { transitions: [{ split: [{ to: 'won', weight: 1 }, { to: 'lost', weight: 1 }] }] }, won: { end: true }, lost: { end: true } }, { participation: { maxEntries: 8 } }),
    );
    const arms = (seed: string, heldEventsAndSplitArms?: boolean) => {
      const j = new TestJourney(plan, { seed, stepOptions: { heldEventsAndSplitArms } });
      for (let i = 0; i < 8; i++) j.wait(1).event('order.completed');
      return j.state.finished.map((f) => f.state);
    };
    for (let i = 0; i < 20; i++) {
      const mine = arms(`seed-${i}`);
      expect(mine).toHaveLength(8);
      expect(new Set(mine).size).toBe(1);
    }
    // Still spread across journeys, and before the patch a user's arm changed from entry to entry.
    expect(new Set(Array.from({ length: 20 }, (_, i) => arms(`seed-${i}`)[0])).size).toBe(2);
    expect(Array.from({ length: 20 }, (_, i) => new Set(arms(`seed-${i}`, false)).size).some((n) => n > 1)).toBe(true);
  });

  it('immediate transitions chain on entry', () => {
    const plan = compiled(
      campaignWith({ start: { transitions: [{ to: 'a' }] }, a: { transitions: [{ to: 'b' }] }, b: { transitions: [{ to: 'won' }] }, won: { end: true } }),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    expect(j.all('recordTransition').map((e) => e.to)).toEqual(['start', 'a', 'b', 'won']);
  });

  it('transitions out of a state wait until its actions finished', () => {
    const plan = goOrDeadline();
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.event('go');
    expect(j.notes().join('\n')).toMatch(/actions still running/);
    j.wait(2).fireDueTimers();
    expect(j.currentStates()).toEqual(['start']);
    j.outcome('start/0', 'succeeded');
    // `go` came before the timer fell due: taken first, as without actions (before patch routed-entries-held-events, the timer won).
    expect(j.state.finished[0]?.state).toBe('won');
    const before = new TestJourney(plan, { stepOptions: { routedEntriesHeldEvents: false } });
    before.event('order.completed');
    before.event('go');
    before.wait(2).fireDueTimers();
    before.outcome('start/0', 'succeeded');
    expect(before.state.finished[0]?.state).toBe('lost');
  });

  it('a timer that fell due during the actions and the held events are taken in the order they came, whatever the order of the transitions', () => {
    const run = (transitions: unknown[], goFirst: boolean) => {
      const j = new TestJourney(compiled(campaignWith({ start: { actions: { steps: [{ type: 'message', channel: 'push', template: 'hi' }] }, transitions }, won: { end: true }, lost: { end: true } })));
      j.event('order.completed');
      if (goFirst) j.event('go');
      j.wait(2).fireDueTimers();
      if (!goFirst) j.event('go');
      j.outcome('start/0', 'succeeded');
      return j.state.finished[0]?.state;
    };
    const onFirst = [{ to: 'won', on: 'go' }, { to: 'lost', after: 'PT2S' }];
    const afterFirst = [{ to: 'lost', after: 'PT2S' }, { to: 'won', on: 'go' }];
    expect([run(onFirst, true), run(afterFirst, true)]).toEqual(['won', 'won']);
    expect([run(onFirst, false), run(afterFirst, false)]).toEqual(['lost', 'lost']);
  });

  it('a due timer keeps its place when a held event before it is cancelled or dropped by the bound: an event after the deadline is not taken first (patch exact-held-and-folded)', () => {
    const plan = goOrDeadline();
    const cancelled = (exactHeldAndFolded: boolean) => {
      const j = new TestJourney(plan, { stepOptions: { exactHeldAndFolded } });
      j.event('order.completed');
      j.event('go', {}, { id: 'g1' });
      j.wait(2).fireDueTimers();
      j.event('go', {}, { id: 'g2' });
      j.cancel('g1');
      j.outcome('start/0', 'succeeded');
      return j.state.finished[0]?.state;
    };
    expect(cancelled(true)).toBe('lost');
    expect(cancelled(false)).toBe('won');
    const bounded = (exactHeldAndFolded: boolean) => {
      const j = new TestJourney(plan, { stepOptions: { exactHeldAndFolded } });
      j.event('order.completed');
      // 20 held before the deadline, each of them later refunded: only the events after it are left.
      for (let i = 0; i < LIMITS.deferredEvents; i++) j.event('go', {}, { id: `early-${i}` });
      j.wait(2).fireDueTimers();
      for (let i = 0; i < 5; i++) j.event('go', {}, { id: `late-${i}` });
      for (let i = 0; i < LIMITS.deferredEvents; i++) j.cancel(`early-${i}`);
      j.outcome('start/0', 'succeeded');
      return j.state.finished[0]?.state;
    };
    expect(bounded(true)).toBe('lost');
    expect(bounded(false)).toBe('won');
  });

  it('a timer that fires again once due (restarted by a new run) keeps its place before the events held after it; journeys from before ended-paths-hold-nothing moved it behind them', () => {
    const plan = goOrDeadline();
    const run = (timerPlaceKept: boolean) => {
      const j = new TestJourney(plan, { stepOptions: { timerPlaceKept } });
      j.event('order.completed');
      j.wait(2);
      const [timer] = j.pendingTimers();
      j.fireDueTimers();
      j.event('go');
      // The same timer's firing again: the carried input was handled, and the timer started anew by the next run fired.
      j.apply({ version: 1, kind: 'timer', timerId: timer.timerId, now: j.now });
      j.outcome('start/0', 'succeeded');
      return j.state.finished[0]?.state;
    };
    expect(run(true)).toBe('lost');
    expect(run(false)).toBe('won');
  });

  it('`when` ping-pong between states stops at a bound instead of looping', () => {
    const plan = compiled(
      campaignWith({
        start: { transitions: [{ to: 'a', on: 'go' }] },
        a: { transitions: [{ to: 'b', when: 'true' }] },
        b: { transitions: [{ to: 'a', when: 'true' }] },
      }),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.event('go');
    expect(j.lastEffects('recordTransition')).toHaveLength(64);
    expect(j.state.paths).toHaveLength(1);
  });
});

describe('events that arrive while a state runs its actions', () => {
  const { compileCampaign: compile } = jest.requireActual('../compiler') as typeof import('../compiler');
  const { initialJourneyState: init, step: run } = jest.requireActual('.') as typeof import('.');
  const plan = (() => {
    const r = compile({
      key: 'welcome',
      name: 'welcome',
      entry: { on: 'signup' },
      initial: 'welcome',
      states: {
        welcome: {
          actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'hi' }] },
          transitions: [{ to: 'converted', on: 'order.completed' }, { to: 'lapsed', after: 'P2D' }],
        },
        converted: { end: true },
        lapsed: { end: true },
      },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  })();
  const t = Date.parse('2026-11-21T10:00:00Z');
  const ev = (id: string, type: string, now: number) => ({
    version: 1 as const,
    kind: 'event' as const,
    now,
    user: {},
    event: { version: 1 as const, id, type, userId: 'u', occurredAt: new Date(now).toISOString(), properties: {} },
  });

  function journey(deferEventsDuringActions?: boolean) {
    let s = init(plan, { campaignKey: 'welcome', userId: 'u', seed: 's' });
    s = run(plan, s, ev('s1', 'signup', t), { deferEventsDuringActions }).state;
    s = run(plan, s, ev('o1', 'order.completed', t + 10), { deferEventsDuringActions }).state;
    const pathId = s.paths[0].pathId;
    return run(plan, s, { version: 1, kind: 'actionOutcome', pathId, stepId: 'mail', outcome: 'succeeded', now: t + 20 }, { deferEventsDuringActions });
  }

  it('takes an `on` event when the actions finish', () => {
    const r = journey();
    expect(r.state.paths).toHaveLength(0);
    expect(r.state.finished.at(-1)?.state).toBe('converted');
    expect(r.effects).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'recordTransition', from: 'welcome', to: 'converted' })]));
  });

  it('keeps the old behaviour when told to (replay of journeys from before)', () => {
    expect(journey(false).state.paths[0].state).toBe('welcome');
  });

  it('a burst: what the path had not taken when one held event moved it on goes to the state it is in now, in order', () => {
    const burst = compile({
      key: 'burst',
      name: 'burst',
      entry: { on: 'signup' },
      initial: 'a',
      states: {
        a: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'hi' }] }, transitions: [{ to: 'b', on: 'step', if: 'event.seq == 1' }] },
        b: { transitions: [{ to: 'c', on: 'step', if: "event.seq == 2 && count('step') == 1" }] },
        c: { transitions: [{ to: 'done', on: 'step', if: 'event.seq == 3' }] },
        done: { end: true },
      },
    });
    if (!burst.ok) throw new Error(JSON.stringify(burst.issues));
    const stepEvent = (seq: number, now: number) => {
      const input = ev(`st${seq}`, 'step', now);
      return { ...input, event: { ...input.event, properties: { seq } } };
    };
    const finish = (heldEventsAndSplitArms?: boolean) => {
      let s = init(burst.value, { campaignKey: 'burst', userId: 'u', seed: 's' });
      s = run(burst.value, s, ev('s1', 'signup', t), { heldEventsAndSplitArms }).state;
      for (const seq of [1, 2, 3]) s = run(burst.value, s, stepEvent(seq, t + seq), { heldEventsAndSplitArms }).state;
      expect(s.paths[0].deferred?.map((e) => e.id)).toEqual(['st1', 'st2', 'st3']);
      return run(burst.value, s, { version: 1, kind: 'actionOutcome', pathId: s.paths[0].pathId, stepId: 'mail', outcome: 'succeeded', now: t + 20 }, { heldEventsAndSplitArms });
    };
    const done = finish();
    expect(done.effects.filter((e) => e.kind === 'recordTransition').map((e) => (e as { to: string }).to)).toEqual(['b', 'c', 'done']);
    expect(done.state.finished.at(-1)?.state).toBe('done');
    // Journeys from before the patch took the first one only.
    expect(finish(false).state.paths[0].state).toBe('b');
  });

  describe('large events while the actions run', () => {
    const big = (id: string, now: number) => {
      const input = ev(id, 'order.completed', now);
      return { ...input, event: { ...input.event, properties: { blob: `${id}:${'x'.repeat(200_000)}` } } };
    };
    const held = (deferredEventsBudget?: boolean) => {
      let s = init(plan, { campaignKey: 'welcome', userId: 'u', seed: 's' });
      s = run(plan, s, ev('s1', 'signup', t), { deferredEventsBudget }).state;
      for (let i = 1; i <= 6; i++) s = run(plan, s, big(`o${i}`, t + i), { deferredEventsBudget }).state;
      return s;
    };

    it('holds only the newest that fit in LIMITS.deferredBytes, and says how many older ones went', () => {
      const s = held();
      expect(s.paths[0].deferred?.map((e) => e.id)).toEqual(['o5', 'o6']);
      expect(JSON.stringify(s.paths[0].deferred).length).toBeLessThanOrEqual(LIMITS.deferredBytes);
      const last = run(plan, s, big('o7', t + 7));
      expect(last.trace.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/o7 is taken when they finish \(1 older held event\(s\) dropped/));
      // The newest is taken when the actions finish.
      const done = run(plan, last.state, { version: 1, kind: 'actionOutcome', pathId: s.paths[0].pathId, stepId: 'mail', outcome: 'succeeded', now: t + 20 });
      expect(done.state.finished.at(-1)?.state).toBe('converted');
    });

    it('holds them all by number only for journeys from before the budget (patch deferred-events-budget)', () => {
      expect(held(false).paths[0].deferred?.map((e) => e.id)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'o6']);
    });

    it('an event too large to hold by itself leaves the events held before it (patch journey-weighed-whole)', () => {
      const huge = (journeyWeighed?: boolean) => {
        const s = held();
        const input = big('o7', t + 7);
        const tooLarge = { ...input, event: { ...input.event, properties: { blob: 'y'.repeat(LIMITS.deferredBytes + 1) } } };
        return run(plan, s, tooLarge, { journeyWeighed });
      };
      const r = huge();
      expect(r.state.paths[0].deferred?.map((e) => e.id)).toEqual(['o5', 'o6']);
      expect(r.trace.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/o7 is too large to hold until they finish/));
      // Journeys from before the patch dropped every held event with it.
      expect(huge(false).state.paths[0].deferred).toEqual([]);
    });
  });
});

describe('a very long condition', () => {
  const skus = Array.from({ length: 5_000 }, (_, i) => `'SKU-${i}'`).join(', ');
  const condition = `event.sku in [${skus}] && event.amount >= 20`;

  it('is quoted in the trace and the journey log only in part, so the state and its log stay small', () => {
    const j = new TestJourney(compiled(campaignWith({ start: { transitions: [{ to: 'won', on: 'order.completed', if: condition }] }, ...endStates, lost: undefined, other: undefined })));
    expect(condition.length).toBeGreaterThan(50_000);
    j.event('order.completed', { sku: 'SKU-1', amount: 5 });
    const miss = j.last.trace.notes.find((n) => n.kind === 'noTransition')!;
    expect(miss.candidates![0].transition.length).toBeLessThanOrEqual(200);
    for (const failed of miss.candidates![0].failed) expect(failed.text.length).toBeLessThanOrEqual(200);
    expect(JSON.stringify(j.state.trace).length).toBeLessThan(10_000);
    j.event('order.completed', { sku: 'SKU-2', amount: 25 });
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
    const logged = j.all('recordTransition').find((e) => e.to === 'won')!;
    expect(logged.cause.length).toBeLessThanOrEqual(500);
    expect(logged.cause.endsWith('…')).toBe(true);
    for (const note of j.last.trace.notes) expect(note.message.length).toBeLessThanOrEqual(500);
  });
});

describe('a stored chain of immediate transitions longer than one input may take', () => {
  it('stops where the limit falls and says why, however many notes came before', () => {
    const length = 100;
    const states: Record<string, unknown> = Object.fromEntries(Array.from({ length }, (_, i) => [`s${i}`, { transitions: [{ to: `s${i + 1}` }] }]));
    states[`s${length}`] = { end: true };
    // Compiled as a stored version is (the check that refuses it applies when a campaign is saved).
    const j = new TestJourney(compiled({ key: 'chain', name: 'chain', entry: { on: 'order.completed' }, initial: 's0', states }));
    j.event('order.completed');
    expect(j.currentStates()).toEqual(['s64']);
    expect(j.notes()).toContainEqual(expect.stringMatching(/^ignored: stopped in s64: more than 64 transitions for one input/));
  });
});

describe('one input moves every parallel path (patch routed-entries-held-events)', () => {
  const draws = compiled(
    campaignWith(
      { waiting: { transitions: [{ to: 'won', on: 'draw.held' }] }, won: { end: true } },
      { entry: { on: 'ticket.bought' }, initial: 'waiting', participation: { maxEntries: 100, mode: 'parallel' } },
    ),
  );
  const afterDraw = (routedEntriesHeldEvents?: boolean) => {
    const j = new TestJourney(draws, { stepOptions: { routedEntriesHeldEvents } });
    for (let i = 0; i < 70; i++) j.wait(1).event('ticket.bought');
    j.wait(1).event('draw.held');
    return j;
  };

  it('each path has its own 64 transitions for the input: 70 paths all take the draw', () => {
    const j = afterDraw();
    expect(j.currentStates()).toEqual([]);
    expect(j.lastEffects('recordTransition').filter((e) => e.to === 'won')).toHaveLength(70);
    expect(j.notes().join('\n')).not.toMatch(/more than 64 transitions/);
  });

  it('still stops each path\'s own `when` ping-pong at 64, without stopping the others', () => {
    const plan = compiled(
      campaignWith(
        { start: { transitions: [{ to: 'a', on: 'go' }] }, a: { transitions: [{ to: 'b', when: 'true' }] }, b: { transitions: [{ to: 'a', when: 'true' }] } },
        { participation: { maxEntries: 2, mode: 'parallel' } },
      ),
    );
    const j = new TestJourney(plan);
    j.event('order.completed');
    j.wait(1).event('order.completed');
    j.wait(1).event('go');
    const moves = j.lastEffects('recordTransition');
    expect([moves.filter((e) => e.pathId === 'p1').length, moves.filter((e) => e.pathId === 'p2').length]).toEqual([64, 64]);
    expect(j.notes().filter((n) => /more than 64 transitions for one input/.test(n))).toHaveLength(2);
  });

  it('journeys from before the patch share one count across the paths, as they ran: the last 6 miss the draw', () => {
    const j = afterDraw(false);
    expect(j.currentStates()).toEqual(Array(6).fill('waiting'));
    expect(j.notes().join('\n')).toMatch(/stopped in waiting: more than 64 transitions for one input/);
  });
});

describe('events held while the actions ran, when settle moves the path (patch routed-entries-held-events)', () => {
  const hook = { actions: { steps: [{ id: 'hook', type: 'webhook', url: 'https://example.com/hook' }] } };
  const byWhen = compiled(
    campaignWith(
      {
        start: { ...hook, transitions: [{ to: 'vip', when: 'user.vip == true' }, { to: 'plain', on: 'order.completed' }] },
        vip: { transitions: [{ to: 'won', on: 'order.completed', if: "count('order.completed') == 1" }] },
        plain: { end: true },
        won: { end: true },
      },
      { entry: { on: 'signup' } },
    ),
  );
  const vipOrderDuringHook = (routedEntriesHeldEvents?: boolean) => {
    const j = new TestJourney(byWhen, { user: { vip: true }, stepOptions: { routedEntriesHeldEvents } });
    j.event('signup');
    j.wait(5).event('order.completed', {}, { id: 'o-1' });
    expect(j.state.paths[0].deferred?.map((e) => e.id)).toEqual(['o-1']);
    j.wait(1).outcome('hook', 'succeeded');
    return j;
  };

  it('a `when` that holds at settle: the held order arrives in the state it moved to, counted there, and fires its `on`', () => {
    const j = vipOrderDuringHook();
    expect(j.all('recordTransition').map((e) => `${e.from} → ${e.to}`)).toEqual(['null → start', 'start → vip', 'vip → won']);
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
    expect(j.all('recordTransition').at(-1)?.cause).toBe("vip → won on order.completed if count('order.completed') == 1");
  });

  it('a timer that fell due during the actions fires after the held order, as without actions: the order, not for `bought`, stays behind', () => {
    const plan = compiled(
      campaignWith(
        {
          start: { ...hook, transitions: [{ to: 'bought', on: 'order.completed', if: 'event.amount > 100' }, { to: 'reminded', after: 'PT1H' }] },
          reminded: { transitions: [{ to: 'won', on: 'order.completed' }] },
          bought: { end: true },
          won: { end: true },
        },
        { entry: { on: 'signup' } },
      ),
    );
    const j = new TestJourney(plan);
    j.event('signup');
    j.wait(60).event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(3600).fireDueTimers();
    expect(j.currentStates()).toEqual(['start']);
    j.wait(1).outcome('hook', 'succeeded');
    expect(j.all('recordTransition').map((e) => e.to)).toEqual(['start', 'reminded']);
    expect(j.currentStates()).toEqual(['reminded']);
  });

  it('a held order that a timer due meanwhile would have come after is taken first', () => {
    const plan = compiled(
      campaignWith(
        {
          start: { ...hook, transitions: [{ to: 'bought', on: 'order.completed' }, { to: 'reminded', after: 'PT1H' }] },
          reminded: { transitions: [{ to: 'won', on: 'order.completed' }] },
          bought: { end: true },
          won: { end: true },
        },
        { entry: { on: 'signup' } },
      ),
    );
    const j = new TestJourney(plan);
    j.event('signup');
    j.wait(60).event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(3600).fireDueTimers();
    j.wait(1).outcome('hook', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['bought']);
  });

  it('a held event that makes the `when` fire is used up by that move, as without actions: one order is no repeat order', () => {
    const plan = compiled(
      campaignWith(
        {
          start: { ...hook, transitions: [{ to: 'big', on: 'order.completed', if: 'event.amount > 1000' }, { to: 'ordered', when: "count('order.completed') >= 1" }] },
          ordered: { transitions: [{ to: 'repeat', on: 'order.completed' }, { to: 'done', after: 'P30D' }] },
          big: { end: true },
          repeat: { end: true },
          done: { end: true },
        },
        { entry: { on: 'signup' } },
      ),
    );
    const j = new TestJourney(plan);
    j.event('signup');
    j.wait(5).event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).outcome('hook', 'succeeded');
    expect(j.currentStates()).toEqual(['ordered']);
    expect(j.state.finished).toEqual([]);
  });

  it('a branch that moves it into a state whose own actions run: held again there, with its note, and taken when they finish', () => {
    const plan = compiled(
      campaignWith(
        {
          start: { ...hook, transitions: [{ to: 'vip', if: 'user.vip == true' }, { to: 'plain', on: 'order.completed' }] },
          vip: { actions: { steps: [{ id: 'hi', type: 'message', channel: 'push', template: 'hi' }] }, transitions: [{ to: 'won', on: 'order.completed' }] },
          plain: { end: true },
          won: { end: true },
        },
        { entry: { on: 'signup' } },
      ),
    );
    const j = new TestJourney(plan, { user: { vip: true } });
    j.event('signup');
    j.wait(5).event('order.completed', {}, { id: 'o-1' });
    j.wait(1).outcome('hook', 'succeeded');
    expect(j.currentStates()).toEqual(['vip']);
    expect(j.state.paths[0].deferred?.map((e) => e.id)).toEqual(['o-1']);
    expect(j.notes()).toContainEqual('waiting: vip: actions still running; order.completed o-1 is taken when they finish');
    j.wait(1).outcome('hi', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
  });

  it('journeys from before the patch drop them, as they ran: the path waits in vip for another order', () => {
    const j = vipOrderDuringHook(false);
    expect(j.currentStates()).toEqual(['vip']);
    expect(j.state.finished).toEqual([]);
  });
});

describe('events taken while the actions ran are judged in the order they came, as without actions (patch held-events-in-order)', () => {
  const hook = { actions: { steps: [{ id: 'hook', type: 'webhook', url: 'https://example.com/hook' }] } };
  const withAndWithoutActions = (states: (actions: object) => Record<string, unknown>, events: Array<[string, string]>) => {
    const outcome = (acting: boolean, heldInOrder?: boolean) => {
      const j = new TestJourney(compiled(campaignWith(states(acting ? hook : {}), { entry: { on: 'signup' } })), {
        stepOptions: { heldInOrder: heldInOrder === undefined ? undefined : () => heldInOrder },
      });
      j.event('signup');
      for (const [type, id] of events) j.wait(1).event(type, {}, { id });
      if (acting) j.wait(1).outcome('hook', 'succeeded');
      return { states: j.currentStates(), finished: j.state.finished.map((f) => f.state), rewards: j.all('runAction').map((a) => a.stepId).filter((id) => id !== 'hook') };
    };
    return { without: outcome(false), acting: outcome(true), before: outcome(true, false) };
  };

  it('a held checkout is judged on the cart adds that came before it, not those after: no reward the rules do not give', () => {
    const r = withAndWithoutActions(
      (actions) => ({
        start: { ...actions, transitions: [{ to: 'rewarded', on: 'checkout', if: "count('cart.add') >= 3" }] },
        rewarded: { actions: { steps: [{ id: 'bonus', type: 'points', amount: 100 }] }, end: true },
      }),
      [['checkout', 'k1'], ['cart.add', 'c1'], ['cart.add', 'c2'], ['cart.add', 'c3']],
    );
    expect(r.without).toEqual({ states: ['start'], finished: [], rewards: [] });
    expect(r.acting).toEqual(r.without);
    // Journeys from before the patch judged the checkout with all three counted.
    expect(r.before.rewards).toContain('bonus');
  });

  it('an order is not counted twice: the first is judged on itself, the second moves the path and is used up', () => {
    const r = withAndWithoutActions(
      (actions) => ({
        start: { ...actions, transitions: [{ to: 'a', on: 'order.completed', if: "count('order.completed') >= 2" }] },
        a: { transitions: [{ to: 'b', when: "count('order.completed') >= 1" }] },
        b: { end: true },
      }),
      [['order.completed', 'o1'], ['order.completed', 'o2']],
    );
    expect(r.without.states).toEqual(['a']);
    expect(r.acting).toEqual(r.without);
    expect(r.before.finished).toEqual(['b']);
  });

  it('an event no `on` of the state waits for reaches the state a move led to', () => {
    const r = withAndWithoutActions(
      (actions) => ({
        start: { ...actions, transitions: [{ to: 'shopping', on: 'checkout' }] },
        shopping: { transitions: [{ to: 'rewarded', when: "count('cart.add') >= 1" }] },
        rewarded: { end: true },
      }),
      [['checkout', 'k1'], ['cart.add', 'c1']],
    );
    expect(r.without.finished).toEqual(['rewarded']);
    expect(r.acting).toEqual(r.without);
    expect(r.before.states).toEqual(['shopping']);
  });

  it('what fires on arrival is judged before any event that came during the actions, held or not', () => {
    const r = withAndWithoutActions(
      (actions) => ({
        start: { ...actions, transitions: [{ to: 'clean', when: "count('refund.requested') < 1" }, { to: 'paid', on: 'order.completed' }] },
        clean: { end: true },
        paid: { end: true },
      }),
      [['refund.requested', 'r1'], ['order.completed', 'o1']],
    );
    expect(r.without.finished).toEqual(['clean']);
    expect(r.acting).toEqual(r.without);
  });

  it('asks the patch only where the order can tell: not for one held event judged alone', () => {
    const plan = compiled(campaignWith({ start: { ...hook, transitions: [{ to: 'won', on: 'go' }] }, won: { end: true } }, { entry: { on: 'signup' } }));
    let asked = 0;
    const j = new TestJourney(plan, { stepOptions: { heldInOrder: () => { asked++; return true; } } });
    j.event('signup');
    j.wait(1).event('go');
    j.wait(1).outcome('hook', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['won']);
    expect(asked).toBe(0);
  });
});

describe('held events past the count bound', () => {
  // A welcome message waiting (quiet hours, say) while the user buys and then browses.
  const welcome = (stepOptions: { awaitedHeldKept?: () => boolean } = {}) =>
    new TestJourney(
      compiled({
        key: 'welcome',
        name: 'welcome',
        entry: { on: 'signup' },
        initial: 'welcome',
        states: {
          welcome: {
            actions: { steps: [{ id: 'hello', type: 'message', channel: 'push', template: 'hello' }] },
            transitions: [{ to: 'bought', on: 'checkout' }, { to: 'browsing', when: "count('page.view') >= 50" }, { to: 'lapsed', after: 'P7D' }],
          },
          bought: { transitions: [{ to: 'helped', on: 'support.ticket' }] },
          helped: { end: true },
          browsing: { end: true },
          lapsed: { end: true },
        },
      }),
      { stepOptions },
    );
  const views = (j: TestJourney, from: number, n: number) => {
    for (let i = from; i < from + n; i++) j.event('page.view', {}, { id: `pv-${i}` });
  };
  const held = (j: TestJourney) => (j.state.paths[0].deferred ?? []).map((e) => e.id);

  it('says in the trace how many older held events the bound of LIMITS.deferredEvents dropped', () => {
    const j = welcome();
    j.event('signup', {}, { id: 's-1' });
    j.event('checkout', {}, { id: 'c-1' });
    views(j, 0, LIMITS.deferredEvents - 1);
    expect(j.notes().join('\n')).not.toMatch(/dropped/);
    j.event('page.view', {}, { id: 'pv-last' });
    expect(j.notes()).toContainEqual(`waiting: welcome: actions still running; page.view pv-last is taken when they finish (1 older held event(s) dropped: at most ${LIMITS.deferredEvents} are held)`);
  });

  it('drops first the page views no `on` waits for: the checkout held before them still moves the path (patch held-bound-keeps-awaited)', () => {
    const j = welcome();
    j.event('signup', {}, { id: 's-1' });
    j.event('checkout', {}, { id: 'c-1' });
    views(j, 0, LIMITS.deferredEvents);
    expect(held(j)).toEqual(['c-1', ...[...Array(LIMITS.deferredEvents - 1).keys()].map((i) => `pv-${i + 1}`)]);
    expect(j.notes()).toContainEqual(expect.stringMatching(/1 older held event\(s\) dropped: at most 20 are held/));
    // The dropped view's share stays counted, as a dropped event's always has.
    expect(Object.values(j.state.paths[0].window).flat().map((c) => c.eventId)).toContain('pv-0');
    j.outcome('hello', 'succeeded');
    expect(j.currentStates()).toEqual(['bought']);
  });

  it('drops events an `on` waits for only past the bound of them, the oldest first', () => {
    const j = welcome();
    j.event('signup', {}, { id: 's-1' });
    j.event('support.ticket', {}, { id: 't-0' });
    for (let i = 0; i < LIMITS.deferredEvents; i++) j.event('support.ticket', {}, { id: `t-${i + 1}` });
    expect(held(j)).toEqual([...Array(LIMITS.deferredEvents).keys()].map((i) => `t-${i + 1}`));
    views(j, 0, 3);
    j.event('checkout', {}, { id: 'c-1' });
    // No page view is held any more (each was the only one no `on` waits for), and the oldest tickets made room for the checkout.
    expect(held(j)).toEqual([...[...Array(LIMITS.deferredEvents - 1).keys()].map((i) => `t-${i + 2}`), 'c-1']);
  });

  it('a timer that fell due keeps its place among the held events when those before it are dropped', () => {
    const j = welcome();
    j.event('signup', {}, { id: 's-1' });
    j.event('support.ticket', {}, { id: 't-0' });
    views(j, 0, 9);
    j.wait(7 * 86_400).fireDueTimers();
    j.event('checkout', {}, { id: 'c-1' });
    views(j, 9, 10);
    // pv-0 went, not the ticket an `on` of bought waits for: the deadline still came before the checkout.
    expect(held(j)).toContain('t-0');
    expect(held(j)).not.toContain('pv-0');
    j.outcome('hello', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['lapsed']);
  });

  it('journeys from before the patch drop the oldest, and the patch is asked only where the events kept differ', () => {
    const asked: boolean[] = [];
    const j = welcome({ awaitedHeldKept: () => (asked.push(false), false) });
    j.event('signup', {}, { id: 's-1' });
    views(j, 0, LIMITS.deferredEvents + 5);
    // Only page views past the bound: the oldest go either way.
    expect(asked).toEqual([]);
    const old = welcome({ awaitedHeldKept: () => (asked.push(false), false) });
    old.event('signup', {}, { id: 's-1' });
    old.event('checkout', {}, { id: 'c-1' });
    views(old, 0, LIMITS.deferredEvents);
    expect(asked).toEqual([false]);
    expect(held(old)).not.toContain('c-1');
    old.outcome('hello', 'succeeded');
    expect(old.currentStates()).toEqual(['welcome']);
  });
});

describe('held events given back at settle keep the share they had on arrival (patch held-shares-kept)', () => {
  // Two vip orders while the welcome message waits (quiet hours, say), then an event of another kind.
  const vip = (stepOptions: { heldSharesKept?: () => boolean } = {}, filter = 'user.vip == true') =>
    new TestJourney(
      compiled({
        key: 'vip',
        name: 'vip',
        entry: { on: 'signup' },
        initial: 'welcome',
        states: {
          welcome: {
            actions: { steps: [{ id: 'hello', type: 'message', channel: 'push', template: 'hello' }] },
            transitions: [{ to: 'vip', when: `count('order.completed', ${filter}) >= 2` }],
          },
          vip: { end: true },
        },
      }),
      { stepOptions },
    );

  it('orders counted with their own profile count so after the actions, whatever the profile is then', () => {
    const j = vip();
    j.event('signup', {}, { id: 's-1' });
    j.event('order.completed', { user: { vip: true } }, { id: 'o-1' });
    j.event('order.completed', { user: { vip: true } }, { id: 'o-2' });
    // The profile of the latest event is not vip.
    j.event('ping', {}, { id: 'p-1' });
    j.outcome('hello', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['vip']);
  });

  it('counted at their own time: a day filter the settle no longer meets still counts them', () => {
    const j = vip({}, "daysSince(event.occurredAt) < 1");
    j.event('signup', {}, { id: 's-1' });
    j.event('order.completed', {}, { id: 'o-1' });
    j.event('order.completed', {}, { id: 'o-2' });
    j.wait(2 * 86_400).outcome('hello', 'succeeded');
    expect(j.state.finished.map((f) => f.state)).toEqual(['vip']);
  });

  it('journeys from before the patch compute the shares again, and the patch is asked only where they differ', () => {
    const asked: boolean[] = [];
    const same = vip({ heldSharesKept: () => (asked.push(false), false) });
    same.event('signup', {}, { id: 's-1' });
    same.event('order.completed', { user: { vip: true } }, { id: 'o-1' });
    same.event('order.completed', { user: { vip: true } }, { id: 'o-2' });
    same.outcome('hello', 'succeeded');
    // The latest profile is still vip: the shares read the same, nothing asked.
    expect(asked).toEqual([]);
    expect(same.state.finished.map((f) => f.state)).toEqual(['vip']);
    const old = vip({ heldSharesKept: () => (asked.push(false), false) });
    old.event('signup', {}, { id: 's-1' });
    old.event('order.completed', { user: { vip: true } }, { id: 'o-1' });
    old.event('order.completed', { user: { vip: true } }, { id: 'o-2' });
    old.event('ping', {}, { id: 'p-1' });
    old.outcome('hello', 'succeeded');
    expect(asked).toEqual([false, false]);
    expect(old.currentStates()).toEqual(['welcome']);
  });
});
