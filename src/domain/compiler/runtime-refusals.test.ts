/**
 * What the compiler refuses when a campaign is saved or activated because it
 * would misbehave at run time (review 46: F4, F5, F7), each at its path; a
 * stored version still compiles as it was accepted, for its running journeys.
 */
import { compileCampaign, MAX_TRANSITIONS_PER_INPUT } from './index';
import { campaignWith } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import type { DomainIssue } from '../issues';

const admitting = { admitting: true } as const;

function issuesOf(input: unknown, opts?: Parameters<typeof compileCampaign>[1]): DomainIssue[] {
  const result = compileCampaign(input, opts);
  return result.ok ? [] : result.issues;
}

const compiles = (input: unknown, opts?: Parameters<typeof compileCampaign>[1]) => issuesOf(input, opts);

describe('an aggregate or a path\'s times in exitOn[].if and entry.if (read without a path: null, never holding)', () => {
  const waiting = { start: { transitions: [{ to: 'won', when: "count('order.completed') >= 10" }] }, won: { end: true } };
  const withExit = (condition: string) => campaignWith(waiting, { exitOn: [{ on: 'user.unsubscribed' }, { on: 'complaint', if: condition }] });
  const withEntryIf = (condition: string) => campaignWith(waiting, { entry: { on: 'order.completed', if: condition } });

  it('refuses an aggregate in an exit\'s `if` at its path, saying why and where it goes instead', () => {
    expect(issuesOf(withExit("count('complaint') >= 3"), admitting)).toEqual([
      {
        path: 'exitOn[1].if',
        message:
          "an exit is checked once for the user, apart from any path (it ends them all), so it cannot read an aggregate (the events of a path's current state): only a path has it, and here it is null, so every comparison with it is false. Check the condition in a transition's `when` (or an `on` transition's `if`) instead, in each state it should leave, leading to an end state",
      },
    ]);
  });

  it('refuses journey.enteredAt and journey.stateEnteredAt in an exit\'s `if`, and every aggregate function', () => {
    expect(issuesOf(withExit('daysSince(journey.enteredAt) >= 3'), admitting)).toEqual([
      { path: 'exitOn[1].if', message: expect.stringMatching(/cannot read journey\.enteredAt \(when a path entered\): only a path has it/) },
    ]);
    expect(issuesOf(withExit("journey.stateEnteredAt < now() && sum('order.completed', 'amount') > 5"), admitting)).toEqual([
      { path: 'exitOn[1].if', message: expect.stringMatching(/cannot read journey\.stateEnteredAt \(when a path entered its state\), an aggregate \(.*\): only a path has them, and here they are null/) },
    ]);
    for (const aggregate of ["min('a', 'x') > 1", "max('a', 'x') > 1", "avg('a', 'x') > 1", "distinct('a', 'x') > 1", "count('a', event.x > 1) > 1"]) {
      expect({ aggregate, paths: issuesOf(withExit(aggregate), admitting).map((i) => i.path) }).toEqual({ aggregate, paths: ['exitOn[1].if'] });
    }
  });

  it('refuses the same in entry.if, pointing to the initial state', () => {
    expect(issuesOf(withEntryIf("count('order.completed') >= 1"), admitting)).toEqual([
      {
        path: 'entry.if',
        message:
          "`entry.if` is checked before the path it would start exists, so it cannot read an aggregate (the events of a path's current state): only a path has it, and here it is null, so every comparison with it is false. Check the condition in a transition's `when` (or an `on` transition's `if`) instead, in the initial state (the starting event counts in that state's aggregates)",
      },
    ]);
    expect(issuesOf(withEntryIf('journey.enteredAt == null'), admitting).map((i) => i.path)).toEqual(['entry.if']);
  });

  it('accepts what an entry or an exit can read: the event, the user, journey.entries, now()', () => {
    for (const fine of ["event.reason == 'fraud'", 'journey.entries >= 2', 'user.vip == true', 'daysSince(user.signedUpAt) > 30 && now() > event.occurredAt']) {
      expect({ fine, exit: compiles(withExit(fine), admitting), entry: compiles(withEntryIf(fine), admitting) }).toEqual({ fine, exit: [], entry: [] });
    }
  });

  it('still compiles a stored version that has one (its running journeys recompile it)', () => {
    expect(compiles(withExit("count('complaint') >= 3"))).toEqual([]);
    expect(compiles(withExit('daysSince(journey.enteredAt) >= 3'))).toEqual([]);
    expect(compiles(withEntryIf("count('order.completed') >= 1"))).toEqual([]);
  });

  it('beside cron, entry.if is refused once, for having no event', () => {
    const batch = campaignWith(waiting, { entry: { cron: '0 9 * * *', if: "count('order.completed') >= 1" } });
    expect(issuesOf(batch, admitting)).toEqual([{ path: 'entry.if', message: expect.stringMatching(/^a batch entry \(cron\) has no event/) }]);
  });
});

describe('an audience that reads what only a path has', () => {
  const withAudience = (audience: string) => ({ ...campaignWith({ start: { end: true } }), audience });

  it('is sent to a transition, not to entry.if (which reads it as null too)', () => {
    expect(issuesOf(withAudience("count('order.completed') > 1"), admitting)).toEqual([
      {
        path: 'audience',
        message:
          "an audience is a condition on the user (user.*); it reads an aggregate (the events of a path's current state): put that in a transition's `when` (or an `on` transition's `if`): only a path has it (at entry, in entry.if too, it is null)",
      },
    ]);
  });

  it('sends the event\'s facts to entry.if and the rest to a transition', () => {
    expect(issuesOf(withAudience("event.amount > 5 && daysSince(journey.enteredAt) > 1 && count('a') > 1"), admitting)).toEqual([
      {
        path: 'audience',
        message:
          "an audience is a condition on the user (user.*); it reads event.amount, journey.enteredAt (when a path entered), an aggregate (the events of a path's current state): put event.amount in entry.if, and the rest in a transition's `when` (or an `on` transition's `if`): only a path has them (at entry, in entry.if too, they are null)",
      },
    ]);
    // What entry.if can read is still sent there, as before.
    expect(issuesOf(withAudience('journey.entries < 3'), admitting)).toEqual([
      { path: 'audience', message: 'an audience is a condition on the user (user.*); it reads journey.entries: put that in entry.if' },
    ]);
  });
});

describe('a chain of immediate transitions entered by a transition that waits (it took one of the input\'s transitions getting in)', () => {
  /** `start` waits with `trigger` into s0, then s0 → … → s(length-1) → done: `length` immediate transitions. */
  const entered = (length: number, trigger: Record<string, unknown> = { on: 'go' }) => {
    const states: Record<string, unknown> = { start: { transitions: [{ to: 's0', ...trigger }] }, done: { end: true } };
    for (let i = 0; i < length; i++) states[`s${i}`] = { transitions: [{ to: i === length - 1 ? 'done' : `s${i + 1}` }] };
    return campaignWith(states);
  };

  it('refuses one of MAX_TRANSITIONS_PER_INPUT at the state it starts from, naming the transition in and where a journey would stop', () => {
    expect(MAX_TRANSITIONS_PER_INPUT).toBe(64);
    expect(issuesOf(entered(64), admitting)).toEqual([
      {
        path: 'states.s0',
        message:
          'a chain of 64 immediate transitions starts here; one input takes at most 64, and a path that comes in by a transition that waits (states.start.transitions[0]) has taken one of them on that input, so a chain from here may be at most 63 long: a journey would stop on the way (in "s63"): add a transition that waits (on, when, after, at) on the way, or shorten the chain',
      },
    ]);
    expect(compiles(entered(63), admitting)).toEqual([]);
  });

  it('counts every kind of transition that waits', () => {
    for (const trigger of [{ on: 'go' }, { when: "count('go') >= 2" }, { after: 'P1D' }, { at: '2100-01-01T00:00:00Z' }]) {
      expect({ trigger, refused: issuesOf(entered(64, trigger), admitting).map((i) => i.path), fine: compiles(entered(63, trigger), admitting) }).toEqual({
        trigger,
        refused: ['states.s0'],
        fine: [],
      });
    }
  });

  it('gives the initial state the full budget only while nothing that waits comes back into it', () => {
    const fromInitial = (back: boolean) => {
      const states: Record<string, unknown> = { s64: back ? { transitions: [{ to: 's0', on: 'again' }] } : { end: true } };
      for (let i = 0; i < 64; i++) states[`s${i}`] = { transitions: [{ to: `s${i + 1}` }] };
      return { ...campaignWith(states), initial: 's0' };
    };
    expect(compiles(fromInitial(false), admitting)).toEqual([]);
    expect(issuesOf(fromInitial(true), admitting)).toEqual([
      { path: 'states.s0', message: expect.stringMatching(/^a chain of 64 immediate transitions starts here; .*\(states\.s64\.transitions\[0\]\).* at most 63 long/) },
    ]);
  });

  it('counts a `when` that always holds, however it is spelled, as a link of the chain (it fires on arrival, as a branch does)', () => {
    for (const always of ['true', '!false', '1 == 1', { all: [true, true] }]) {
      const states: Record<string, unknown> = { start: { transitions: [{ to: 's0', on: 'go' }] }, done: { end: true } };
      for (let i = 0; i < 64; i++) states[`s${i}`] = { transitions: [{ to: i === 63 ? 'done' : `s${i + 1}`, ...(i === 10 ? { when: always } : {}) }] };
      expect({ always, issues: issuesOf(campaignWith(states), admitting) }).toEqual({
        always,
        issues: [{ path: 'states.s0', message: expect.stringMatching(/^a chain of 64 immediate transitions starts here; .* at most 63 long/) }],
      });
      // At run time it fires on arrival as the branches do: the path stops short.
      const j = new TestJourney(compiled(campaignWith(states)));
      j.event('order.completed');
      j.wait(1).event('go');
      expect({ always, states: j.state.paths.map((p) => p.state) }).toEqual({ always, states: ['s63'] });
    }
  });

  it('is exact: at run time the longest chain it admits finishes, and the one it refuses stops where it says', () => {
    const run = (length: number) => {
      const j = new TestJourney(compiled(entered(length)));
      j.event('order.completed');
      j.wait(1).event('go');
      return { paths: j.state.paths.map((p) => p.state), finished: j.state.finished.map((f) => f.state) };
    };
    expect(run(63)).toEqual({ paths: [], finished: ['done'] });
    expect(run(64)).toEqual({ paths: ['s63'], finished: [] });
  });

  it('still compiles a stored version that has one (its running journeys recompile it)', () => {
    expect(compiles(entered(64))).toEqual([]);
  });
});

describe('timers past what Temporal holds (it ends a timer after 100 years, so it would fire early)', () => {
  const withTimer = (trigger: Record<string, unknown>) => campaignWith({ start: { transitions: [{ to: 'won', ...trigger }] }, won: { end: true } });
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('refuses an `after` longer than 99 years at its path', () => {
    expect(issuesOf(withTimer({ after: 'P99Y1D' }), admitting)).toEqual([
      {
        path: 'states.start.transitions[0].after',
        message: '"P99Y1D" is longer than 99 years (P99Y), the longest a journey\'s timer can wait: Temporal ends a timer after 100 years, so it would fire early',
      },
    ]);
    for (const long of ['P150Y', 'P1000Y', 'P1189M', 'P36160D']) {
      expect({ long, paths: issuesOf(withTimer({ after: long }), admitting).map((i) => i.path) }).toEqual({ long, paths: ['states.start.transitions[0].after'] });
    }
    for (const fine of ['P99Y', 'P1188M', 'P98Y11M30D', 'P36159D', 'P3D']) expect({ fine, issues: compiles(withTimer({ after: fine }), admitting) }).toEqual({ fine, issues: [] });
  });

  it('refuses an `at` more than 99 years after now at its path, now being the option or the clock', () => {
    expect(issuesOf(withTimer({ at: '2125-01-01T00:00:01Z' }), { admitting: true, now })).toEqual([
      {
        path: 'states.start.transitions[0].at',
        message:
          '"2125-01-01T00:00:01Z" is more than 99 years from now (the latest is 2125-01-01T00:00:00.000Z), longer than a journey\'s timer can wait: Temporal ends a timer after 100 years, so it would fire early',
      },
    ]);
    expect(compiles(withTimer({ at: '2125-01-01T00:00:00Z' }), { admitting: true, now })).toEqual([]);
    expect(compiles(withTimer({ at: '2125-01-01T08:00:00+08:00' }), { admitting: true, now })).toEqual([]);
    expect(issuesOf(withTimer({ at: '2125-01-01T08:00:00+07:59' }), { admitting: true, now }).map((i) => i.path)).toEqual(['states.start.transitions[0].at']);
    // Without `now`, the clock: the year 9999 is past it for a while yet.
    expect(issuesOf(withTimer({ at: '9999-01-01T00:00:00Z' }), admitting).map((i) => i.path)).toEqual(['states.start.transitions[0].at']);
  });

  it('still compiles a stored version that has one (its running journeys recompile it)', () => {
    expect(compiles(withTimer({ after: 'P150Y' }))).toEqual([]);
    expect(compiles(withTimer({ at: '2200-01-01T00:00:00Z' }), { now })).toEqual([]);
  });

  it('leaves durations that are no timer as they were: cooldown and frequency go up to P1000Y', () => {
    const c = { ...withTimer({ on: 'x' }), participation: { maxEntries: 5, mode: 'serial', cooldown: 'P150Y', frequency: { max: 2, per: 'P1000Y' } } };
    expect(compiles(c, admitting)).toEqual([]);
  });
});

describe('a stored version whose transition leads to a member every object has (toString, __proto__...), which is no state of it', () => {
  // Admitted before targets had to be own states: entering one threw in the workflow task, on every retry.
  const leading = (name: string) =>
    campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }, { to: name, on: 'oops' }] }, done: { end: true } });

  it('ends the path that takes it, saying why, and records it as an exit', () => {
    for (const name of ['toString', 'constructor', 'valueOf', '__proto__', 'hasOwnProperty']) {
      const j = new TestJourney(compiled(leading(name)));
      j.event('order.completed');
      expect(() => j.wait(1).event('oops')).not.toThrow();
      const reason = `"${name}" is not a state of version 1 (start → ${name} on oops): the path ends here`;
      expect({ name, paths: j.state.paths, finished: j.state.finished.map((f) => [f.state, f.reason, f.ending]) }).toEqual({ name, paths: [], finished: [['start', reason, 'exit']] });
      expect(j.lastEffects('recordTransition')).toEqual([expect.objectContaining({ from: 'start', to: '(exited)', cause: reason })]);
    }
  });

  it('the same from a split\'s branch, drawn on arrival', () => {
    const j = new TestJourney(compiled(campaignWith({ start: { transitions: [{ split: [{ to: 'valueOf', weight: 1 }, { to: 'done', weight: 1e-12 }] }] }, done: { end: true } })));
    expect(() => j.event('order.completed')).not.toThrow();
    expect(j.state.paths).toEqual([]);
    expect(j.state.finished.map((f) => f.reason)).toEqual(['"valueOf" is not a state of version 1 (start → split(valueOf:1, done:1e-12) chose valueOf): the path ends here']);
    expect(j.lastEffects('recordTransition').map((e) => [e.from, e.to])).toEqual([[null, 'start'], ['start', '(exited)']]);
  });
});
