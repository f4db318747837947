import { compileCampaign } from './index';
import { campaignWith, spendAndPost } from '../testing/campaigns';
import type { DomainIssue } from '../issues';

function issuesOf(input: unknown, opts?: Parameters<typeof compileCampaign>[1]): DomainIssue[] {
  const result = compileCampaign(input, opts);
  if (result.ok) throw new Error('expected the campaign to be refused');
  return result.issues;
}

/** The compiled plan, or a failing test listing the issues: never a silent pass. */
function planOf(result: ReturnType<typeof compileCampaign>) {
  if (!result.ok) throw new Error(`expected the campaign to compile: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function expectIssue(issues: DomainIssue[], path: string, message: RegExp): void {
  expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
}

describe('compileCampaign on the CAMPAIGNS.md example', () => {
  const result = compileCampaign(spendAndPost(), { version: 3 });

  it('compiles', () => {
    expect(result.ok).toBe(true);
  });

  it('lists entry and listened event types', () => {
    const plan = planOf(result);
    expect(plan.entryTypes).toEqual(['order.completed']);
    expect(plan.listenTypes).toEqual(['order.completed', 'post.created', 'user.unsubscribed']);
  });

  it('gives steps ids from their position', () => {
    const plan = planOf(result);
    const rewarded = plan.states.rewarded.actions;
    expect(rewarded?.stepId).toBe('rewarded');
    expect(rewarded?.steps.map((s) => s.stepId)).toEqual(['rewarded/0', 'rewarded/1']);
  });

  it('parses durations and indexes transitions', () => {
    const plan = planOf(result);
    const after = plan.states.collecting.transitions[1];
    expect(after.kind).toBe('after');
    if (after.kind === 'after') expect(after.duration.days).toBe(3);
    expect(plan.states.collecting.timed).toEqual([1]);
  });

  it('summarizes', () => {
    const plan = planOf(result);
    expect(plan.summary).toMatchObject({
      key: 'spend-and-post',
      version: 3,
      states: ['collecting', 'nudged', 'rewarded', 'expired'],
      entryTypes: ['order.completed'],
      actions: 3,
      pools: ['vip-20-off'],
    });
  });

  it('is frozen', () => {
    const plan = planOf(result);
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.states.collecting.transitions)).toBe(true);
  });
});

describe('compileCampaign refuses, with a path', () => {
  it('schema errors', () => {
    const c = spendAndPost();
    c.states.rewarded.actions.steps[0].pool = 7;
    c.states.collecting.trasitions = [];
    const issues = issuesOf(c);
    expectIssue(issues, 'states.rewarded.actions.steps[0].pool', /expected string/);
    expectIssue(issues, 'states.collecting.trasitions', /unknown field/);
  });

  it('unknown target states', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'nowhere', on: 'x' }] } }));
    expectIssue(issues, 'states.start.transitions[0].to', /unknown state "nowhere"/);
  });

  it('unknown targets in a split', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ split: [{ to: 'end', weight: 1 }, { to: 'gone', weight: 1 }] }] }, end: { end: true } }));
    expectIssue(issues, 'states.start.transitions[0].split[1].to', /unknown state "gone"/);
  });

  it('an unknown initial state', () => {
    expectIssue(issuesOf(campaignWith({ done: { end: true } })), 'initial', /unknown state "start"/);
  });

  // Names every object carries were found by `in` on the states object: accepted, and a journey taking one hung.
  const OBJECT_MEMBERS = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', 'propertyIsEnumerable', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'];

  it('a target named like a member every object has (toString, __proto__...) that is no declared state, when a campaign is admitted; a stored one still compiles', () => {
    for (const name of OBJECT_MEMBERS) {
      const onTo = campaignWith({ start: { transitions: [{ to: 'done', on: 'x' }, { to: name, on: 'y' }] }, done: { end: true } });
      const inSplit = campaignWith({ start: { transitions: [{ split: [{ to: 'done', weight: 9 }, { to: name, weight: 1 }] }] }, done: { end: true } });
      expect({ name, issues: issuesOf(onTo, { admitting: true }) }).toEqual({ name, issues: [{ path: 'states.start.transitions[1].to', message: `unknown state "${name}"; states are: start, done` }] });
      expect({ name, issues: issuesOf(inSplit, { admitting: true }) }).toEqual({ name, issues: [{ path: 'states.start.transitions[0].split[1].to', message: `unknown state "${name}"; states are: start, done` }] });
      // Its running journeys recompile a stored version as it was accepted (the machine ends a path that takes it).
      expect({ name, stored: compileCampaign(onTo).ok && compileCampaign(inSplit).ok }).toEqual({ name, stored: true });
    }
  });

  it('an initial state named like a member every object has is reported as unknown, at `initial`, not as every state unreachable', () => {
    for (const name of OBJECT_MEMBERS) {
      const c = campaignWith({ start: { transitions: [{ to: 'done', on: 'x' }] }, done: { end: true } }, { initial: name });
      for (const admitting of [true, false]) {
        expect({ name, admitting, issues: issuesOf(c, { admitting }) }).toEqual({ name, admitting, issues: [{ path: 'initial', message: `unknown state "${name}"; states are: start, done` }] });
      }
    }
  });

  it('unreachable states', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', on: 'x' }] }, done: { end: true }, island: { end: true } }));
    expectIssue(issues, 'states.island', /cannot be reached/);
  });

  it('a transition whose condition or time does not compile is reported at its own path only, not also as an unreachable target or a branch that always fires', () => {
    for (const broken of [{ when: 'event.total >>= 5' }, { after: 'P1X' }, { on: 'x', if: 'event.total >>= 5' }]) {
      const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', ...broken }] }, done: { end: true } }));
      expect({ broken, paths: issues.map((i) => i.path) }).toEqual({ broken, paths: [`states.start.transitions[0].${Object.keys(broken).at(-1)}`] });
    }
    // An immediate branch with a broken `if` is not taken for one without: no "never checked" on the branch after it.
    const immediate = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', if: 'event.total >>= 5' }, { to: 'other' }] }, done: { end: true }, other: { end: true } }));
    expect(immediate.map((i) => i.path)).toEqual(['states.start.transitions[0].if']);
  });

  it('a non-end state with no way out', () => {
    expectIssue(issuesOf(campaignWith({ start: {} })), 'states.start', /no way out/);
  });

  it('a later `on` for an event type an earlier one takes every time (no `if`, or `if: true`), when admitting only', () => {
    const states = (transitions: unknown[]) => campaignWith({ start: { transitions }, a: { end: true }, b: { end: true } });
    for (const first of [{ to: 'a', on: 'x' }, { to: 'a', on: 'x', if: true }, { to: 'a', on: 'x', if: 'true' }]) {
      for (const second of [{ to: 'b', on: 'x' }, { to: 'b', on: 'x', if: 'event.amount > 1' }]) {
        const shadowed = states([first, { to: 'b', on: 'y' }, second]);
        expect({ first, second, issues: issuesOf(shadowed, { admitting: true }).map((i) => [i.path, i.message]) }).toEqual({
          first,
          second,
          issues: [['states.start.transitions[2]', 'never fires: transition 0 of "start" takes every "x" event first (it has no "if"); give that one an "if", or remove this one']],
        });
        // A stored version compiles as it was accepted.
        expect(compileCampaign(shadowed).ok).toBe(true);
      }
    }
    // A first one with an `if` lets others through; so does another event type, and a broken `if` is reported at its own path only.
    expect(compileCampaign(states([{ to: 'a', on: 'x', if: 'event.amount > 1' }, { to: 'b', on: 'x' }]), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(states([{ to: 'a', on: 'x' }, { to: 'b', on: 'y' }]), { admitting: true }).ok).toBe(true);
    const broken = issuesOf(states([{ to: 'a', on: 'x', if: 'event.amount >>= 1' }, { to: 'b', on: 'x' }]), { admitting: true });
    expect(broken.map((i) => i.path)).toEqual(['states.start.transitions[0].if']);
  });

  it('a state with only conditional branches', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', if: 'user.vip == true' }] }, done: { end: true } }));
    expectIssue(issues, 'states.start.transitions', /only has conditional branches/);
    // A branch whose `if` can be false; one that always holds is no conditional branch (saved or stored).
    expectIssue(issuesOf(campaignWith({ start: { transitions: [{ to: 'done', if: '1 == 2' }] }, done: { end: true } })), 'states.start.transitions', /only has conditional branches/);
    for (const always of [true, 'true', '!false', '1 == 1']) {
      const c = campaignWith({ start: { transitions: [{ to: 'done', if: always }] }, done: { end: true } });
      expect({ always, admitted: compileCampaign(c, { admitting: true }).ok, stored: compileCampaign(c).ok }).toEqual({ always, admitted: true, stored: true });
    }
  });

  it('transitions after an unconditional one', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done' }, { to: 'done', on: 'x' }] }, done: { end: true } }));
    expectIssue(issues, 'states.start.transitions[1]', /never checked/);
  });

  it('transitions after a `when` that always holds, however it is spelled, when a campaign is admitted (it fires on arrival); a stored one still compiles', () => {
    for (const always of [true, 'true', '!false', '1 == 1', { all: [true, true] }]) {
      const c = campaignWith({ start: { transitions: [{ to: 'e', when: always }, { to: 'f', on: 'y' }] }, e: { end: true }, f: { end: true } });
      expect({ always, issues: issuesOf(c, { admitting: true }) }).toEqual({ always, issues: [{ path: 'states.start.transitions[1]', message: 'never checked: transition 0 of "start" always fires first' }] });
      expect(compileCampaign(c).ok).toBe(true);
    }
    // A `when` that can be false leaves the rest to be checked.
    const waits = campaignWith({ start: { transitions: [{ to: 'e', when: "count('x') >= 2" }, { to: 'f', on: 'y' }] }, e: { end: true }, f: { end: true } });
    expect(compileCampaign(waits, { admitting: true }).ok).toBe(true);
  });

  it('transitions after a branch whose `if` always holds, however it is spelled, when a campaign is admitted; a stored one still compiles', () => {
    for (const always of [true, 'true', '!false', '1 == 1', { all: [true, true] }]) {
      const c = campaignWith({ start: { transitions: [{ to: 'b', if: always }, { to: 'c', on: 'x' }] }, b: { end: true }, c: { end: true } });
      expect({ always, issues: issuesOf(c, { admitting: true }) }).toEqual({ always, issues: [{ path: 'states.start.transitions[1]', message: 'never checked: transition 0 of "start" always fires first' }] });
      expect(compileCampaign(c).ok).toBe(true);
    }
  });

  it('loops of immediate transitions', () => {
    const issues = issuesOf(
      campaignWith({
        start: { transitions: [{ to: 'a', on: 'x' }] },
        a: { transitions: [{ to: 'b', if: 'user.vip == true' }, { to: 'done', after: 'P1D' }] },
        b: { transitions: [{ split: [{ to: 'a', weight: 1 }, { to: 'done', weight: 1 }] }] },
        done: { end: true },
      }),
    );
    expectIssue(issues, 'states.b.transitions[0]', /loop of immediate transitions: a → b → a/);
  });

  it('a loop through `when` transitions that always hold, when a campaign is saved (it would run 64 transitions on every event)', () => {
    const looping = campaignWith({
      start: { transitions: [{ to: 'a', on: 'x' }] },
      a: { transitions: [{ to: 'b', when: 'true' }] },
      b: { transitions: [{ to: 'a', when: true }, { to: 'done', on: 'y' }] },
      done: { end: true },
    });
    expectIssue(issuesOf(looping, { admitting: true }), 'states.b.transitions[0]', /loop of immediate transitions: a → b → a/);
    // A stored version compiles as it was accepted; a `when` that can be false waits.
    expect(compileCampaign(looping).ok).toBe(true);
    const waiting = campaignWith({ ...looping.states, b: { transitions: [{ to: 'a', when: "count('x') >= 2" }, { to: 'done', on: 'y' }] } });
    expect(compileCampaign(waiting, { admitting: true }).ok).toBe(true);
  });

  it('the same loop through `when`s that always hold however they are spelled (with a reward on the way it issued rewards without end)', () => {
    for (const always of ['!false', '1 == 1', '1 < 2', 'true && true', { all: [true, true] }, [['true', 'false']]]) {
      const looping = campaignWith({
        start: { transitions: [{ to: 'a', on: 'go' }] },
        a: { actions: { steps: [{ id: 'bonus', type: 'points', amount: 10 }] }, transitions: [{ to: 'b', when: always }] },
        b: { transitions: [{ to: 'a', when: always }, { to: 'done', on: 'stop' }] },
        done: { end: true },
      });
      expect({ always, issues: issuesOf(looping, { admitting: true }).map((i) => [i.path, i.message]) }).toEqual({
        always,
        issues: [
          // The `on` after a `when` that always holds is never looked at either (the `when` fires on arrival).
          ['states.b.transitions[1]', 'never checked: transition 0 of "b" always fires first'],
          ['states.b.transitions[0]', expect.stringMatching(/^loop of immediate transitions: a → b → a;/)],
        ],
      });
      expect({ always, stored: compileCampaign(looping).ok }).toEqual({ always, stored: true });
    }
  });

  it('bad durations', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', after: '3 days' }] }, done: { end: true } }));
    expectIssue(issues, 'states.start.transitions[0].after', /ISO 8601 duration/);
  });

  it('bad `at` timestamps', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', at: '2026-12-01' }] }, done: { end: true } }));
    expectIssue(issues, 'states.start.transitions[0].at', /ISO 8601 date and time/);
  });

  it('unknown pools and pools of the wrong kind, when pools are given', () => {
    const pools = [{ key: 'vip-20-off', kind: 'points' }];
    const c = spendAndPost();
    c.states.rewarded.actions.steps[1].pool = 'missing';
    const issues = issuesOf(c, { pools });
    expectIssue(issues, 'states.rewarded.actions.steps[0].pool', /is a points pool/);
    expectIssue(issues, 'states.rewarded.actions.steps[1].pool', /unknown reward pool "missing"/);
    expect(compileCampaign(spendAndPost()).ok).toBe(true);
  });

  it('a credit step in another currency than its pool, when a campaign is admitted with the pools', () => {
    const pools = [
      { key: 'eur-credit', kind: 'credit', currency: 'EUR' },
      { key: 'any-credit', kind: 'credit', currency: null },
    ];
    const withSteps = (...steps: Array<{ currency: string; pool: string }>) =>
      campaignWith({ start: { actions: { steps: steps.map((s) => ({ type: 'credit', amount: 5, ...s })) }, end: true } });
    const issues = issuesOf(withSteps({ currency: 'EUR', pool: 'eur-credit' }, { currency: 'USD', pool: 'eur-credit' }), { pools, admitting: true });
    expect(issues).toEqual([{ path: 'states.start.actions.steps[1].currency', message: 'pool "eur-credit" holds EUR; this step gives USD' }]);
    // The pool's own currency, a pool without one, and a stored version's resume (not admitting) all compile.
    expect(compileCampaign(withSteps({ currency: 'EUR', pool: 'eur-credit' }, { currency: 'USD', pool: 'any-credit' }), { pools, admitting: true }).ok).toBe(true);
    expect(compileCampaign(withSteps({ currency: 'USD', pool: 'eur-credit' }), { pools }).ok).toBe(true);
  });

  it('names every object carries (constructor, toString, valueOf...) as a state, step id or event type, when a campaign is admitted (edges probe)', () => {
    // A state or step so named walked on without issuing: the journey's bookkeeping read the built-in member.
    const reserved = campaignWith(
      {
        start: { transitions: [{ to: 'constructor', on: 'valueOf' }] },
        constructor: { actions: { steps: [{ id: 'toString', type: 'points', amount: 1 }, { id: 'fine', type: 'points', amount: 2 }] }, transitions: [{ to: 'done', after: 'PT1S' }] },
        done: { end: true },
      },
      { entry: { on: ['order.completed', 'hasOwnProperty'] }, exitOn: [{ on: '__proto__' }] },
    );
    expect(issuesOf(reserved, { admitting: true }).map((i) => [i.path, i.message.split(' (')[0]])).toEqual([
      ['entry.on[1]', '"hasOwnProperty" is reserved as an event type'],
      ['exitOn[0].on', '"__proto__" is reserved as an event type'],
      ['states.start.transitions[0].on', '"valueOf" is reserved as an event type'],
      ['states.constructor', '"constructor" is reserved as a state name'],
      ['states.constructor.actions.steps[0].id', '"toString" is reserved as a step id'],
    ]);
    expect(issuesOf(reserved, { admitting: true })[0].message).toMatch(/; choose another$/);
    // A stored version compiles as it was accepted; names that only contain one are fine.
    expect(compileCampaign(reserved).ok).toBe(true);
    const near = campaignWith({ start: { transitions: [{ to: 'constructors', on: 'order.valueOf' }] }, constructors: { actions: { steps: [{ id: 'toString2', type: 'points', amount: 1 }] }, end: true } });
    expect(compileCampaign(near, { admitting: true }).ok).toBe(true);
  });

  it('an unconditional exit on an entry type, which would let nobody in, when a campaign is admitted (edges probe)', () => {
    const states = { start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } };
    const trapped = campaignWith(states, { entry: { on: ['order.completed', 'a20'] }, exitOn: [{ on: 'user.left' }, { on: 'a20' }] });
    expect(issuesOf(trapped, { admitting: true }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'exitOn[1].on: every a20 event would end the journey before it could enter (entry.on takes a20 too, and exits are checked first): give this exit an `if`, or take a20 out of one of them',
    ]);
    expect(compileCampaign(trapped).ok).toBe(true);
    // With a condition it may be meant (a second a20 ends the first path): accepted.
    const conditional = campaignWith(states, { entry: { on: 'a20' }, exitOn: [{ on: 'a20', if: 'event.amount > 100' }] });
    expect(compileCampaign(conditional, { admitting: true }).ok).toBe(true);
  });

  it('an exit on an entry type whose `if` always holds, however it is spelled, as one without `if`, when a campaign is admitted; a stored one still compiles', () => {
    const states = { start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } };
    for (const always of [true, 'true', [['true']], '!false', '1 == 1']) {
      const trapped = campaignWith(states, { entry: { on: ['order.completed', 'a20'] }, exitOn: [{ on: 'a20', if: always }] });
      expect({ always, issues: issuesOf(trapped, { admitting: true }).map((i) => `${i.path}: ${i.message}`) }).toEqual({
        always,
        issues: ['exitOn[0].on: every a20 event would end the journey before it could enter (entry.on takes a20 too, and exits are checked first): give this exit an `if`, or take a20 out of one of them'],
      });
      expect({ always, stored: compileCampaign(trapped).ok }).toEqual({ always, stored: true });
    }
  });

  it('an `on` transition for a type an exit takes every time (exits are checked first), when a campaign is admitted; a stored one still compiles', () => {
    const farewell = (exit: Record<string, unknown>) =>
      campaignWith(
        {
          start: { transitions: [{ to: 'farewell', on: 'user.unsubscribed' }, { to: 'done', on: 'order.completed' }] },
          farewell: { actions: { steps: [{ type: 'message', channel: 'email', template: 'bye' }] }, transitions: [{ to: 'done' }] },
          done: { end: true },
        },
        { exitOn: [{ on: 'user.left' }, { on: 'user.unsubscribed', ...exit }] },
      );
    for (const exit of [{}, { if: true }, { if: '!false' }]) {
      expect({ exit, issues: issuesOf(farewell(exit), { admitting: true }) }).toEqual({
        exit,
        issues: [{ path: 'states.start.transitions[0].on', message: 'never fires: exitOn[1] ends every path on user.unsubscribed first (exits are checked before transitions); give the exit an "if", or drop one of them' }],
      });
      expect({ exit, stored: compileCampaign(farewell(exit)).ok }).toEqual({ exit, stored: true });
    }
    // An exit with a condition that can be false lets the others through.
    expect(compileCampaign(farewell({ if: 'event.hard == true' }), { admitting: true }).ok).toBe(true);
  });

  it('a transition id used twice, also as a split\'s branch edge (<id>/0), when a campaign is admitted; a stored one still compiles', () => {
    const twice = campaignWith({ start: { transitions: [{ id: 'next', to: 'b', on: 'x' }] }, b: { transitions: [{ id: 'next', to: 'done', on: 'y' }] }, done: { end: true } });
    expect(issuesOf(twice, { admitting: true })).toEqual([
      { path: 'states.b.transitions[0].id', message: expect.stringMatching(/^id "next" is already used by the transition at states\.start\.transitions\[0\]\.id; .* must be unique$/) },
    ]);
    expect(compileCampaign(twice).ok).toBe(true);
    const branch = campaignWith({
      start: { transitions: [{ id: 'x', split: [{ to: 'b', weight: 1 }, { to: 'done', weight: 1 }] }] },
      b: { transitions: [{ id: 'x/0', to: 'done', on: 'y' }] },
      done: { end: true },
    });
    expect(issuesOf(branch, { admitting: true }).map((i) => [i.path, i.message.split(';')[0]])).toEqual([['states.b.transitions[0].id', 'id "x/0" is already used by the transition at states.start.transitions[0].id']]);
    expect(compileCampaign(branch).ok).toBe(true);
    // Ids that differ, and transitions without one (their ids are derived, `<state>#<n>`), are fine.
    const distinct = campaignWith({ start: { transitions: [{ id: 'x', split: [{ to: 'b', weight: 1 }, { to: 'done', weight: 1 }] }] }, b: { transitions: [{ id: 'x/2', to: 'done', on: 'y' }, { to: 'done', on: 'z' }] }, done: { end: true } });
    expect(compileCampaign(distinct, { admitting: true }).ok).toBe(true);
  });

  it('a literal amount above the most one reward gives, when a campaign is admitted; a stored one still compiles', () => {
    const withAmount = (amount: number) =>
      campaignWith({ start: { actions: { steps: [{ id: 'p', type: 'points', amount }, { id: 'c', type: 'credit', amount, currency: 'EUR' }] }, end: true } });
    const issues = issuesOf(withAmount(1e12 + 1), { admitting: true });
    expectIssue(issues, 'states.start.actions.steps[0].amount', /^at most 1,000,000,000,000, the most one reward gives$/);
    expectIssue(issues, 'states.start.actions.steps[1].amount', /^at most 1,000,000,000,000/);
    expect(compileCampaign(withAmount(1e12), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(withAmount(1e300)).ok).toBe(true);
  });

  it('an amount expression that cannot give a number, when a campaign is admitted; a stored one still compiles', () => {
    const withAmount = (amount: string) => campaignWith({ start: { actions: { steps: [{ id: 'p', type: 'points', amount }] }, end: true } });
    const said = (amount: string) => issuesOf(withAmount(amount), { admitting: true }).map((i) => `${i.path}: ${i.message}`);
    expect(said('true')).toEqual(['states.start.actions.steps[0].amount: an amount is a number; this expression gives true or false']);
    expect(said("'abc'")).toEqual(['states.start.actions.steps[0].amount: an amount is a number; this expression gives text']);
    expect(said("count('order.completed') > 1")).toEqual(['states.start.actions.steps[0].amount: an amount is a number; this expression gives true or false']);
    for (const fine of ['event.amount', "sum('order.completed', 'amount') * 10", "count('order.completed')", '5']) {
      expect({ fine, ok: compileCampaign(withAmount(fine), { admitting: true }).ok }).toEqual({ fine, ok: true });
    }
    expect(compileCampaign(withAmount('true')).ok).toBe(true);
  });

  it('an amount expression that is a constant is checked as a written number would be, when a campaign is admitted', () => {
    const withAmount = (amount: string) => campaignWith({ start: { actions: { steps: [{ id: 'p', type: 'points', amount }] }, end: true } });
    const said = (amount: string) => issuesOf(withAmount(amount), { admitting: true }).map((i) => i.message);
    expect(said('0')).toEqual(['an amount must be greater than 0; this expression always gives 0']);
    expect(said('-5')).toEqual(['an amount must be greater than 0; this expression always gives -5']);
    expect(said('2 - 2')).toEqual(['an amount must be greater than 0; this expression always gives 0']);
    expect(said('1e13')).toEqual([expect.stringMatching(/^at most 1,000,000,000,000, the most one reward gives; this expression always gives 10000000000000$/)]);
    expect(said('1/0')).toEqual([expect.stringMatching(/^an amount must be greater than 0; this expression always gives /)]);
    for (const fine of ['2 * 3', '0.5', 'event.amount - 5']) expect({ fine, ok: compileCampaign(withAmount(fine), { admitting: true }).ok }).toEqual({ fine, ok: true });
    expect(compileCampaign(withAmount('0')).ok).toBe(true);
  });

  it("an audience that reads more than the user, when a campaign is admitted (a batch entry has no event); a stored one still compiles", () => {
    const withAudience = (audience: string) => ({ ...campaignWith({ start: { end: true } }), audience });
    expect(issuesOf(withAudience("event.amount > 5 && user.level >= 2"), { admitting: true })).toEqual([
      { path: 'audience', message: 'an audience is a condition on the user (user.*); it reads event.amount: put that in entry.if' },
    ]);
    expect(issuesOf(withAudience("count('order.completed') > 1"), { admitting: true })[0].message).toMatch(/reads an aggregate/);
    for (const fine of ['user.level >= 2', "daysSince(user.signedUpAt) > 30", 'exists(user.email)']) {
      expect({ fine, ok: compileCampaign(withAudience(fine), { admitting: true }).ok }).toEqual({ fine, ok: true });
    }
    expect(compileCampaign(withAudience('event.amount > 5')).ok).toBe(true);
  });

  it('an entry on events and on a schedule at once, when a campaign is admitted; a stored one still compiles', () => {
    const both = { ...campaignWith({ start: { end: true } }), entry: { on: 'order.completed', cron: '0 9 * * *' } };
    expect(issuesOf(both, { admitting: true })).toEqual([{ path: 'entry.cron', message: 'a campaign enters on events (`on`) or on a schedule (`cron`), not both: make two campaigns' }]);
    expect(compileCampaign(both).ok).toBe(true);
    expect(compileCampaign({ ...both, entry: { cron: '0 9 * * *' } }, { admitting: true }).ok).toBe(true);
  });

  it('split weights that add up past the largest number, when a campaign is admitted', () => {
    const split = (a: number, b: number) =>
      campaignWith({ start: { transitions: [{ split: [{ to: 'x', weight: a }, { to: 'y', weight: b }] }] }, x: { end: true }, y: { end: true } });
    expectIssue(issuesOf(split(1e308, 1e308), { admitting: true }), 'states.start.transitions[0].split', /add up past the largest number/);
    expect(compileCampaign(split(1e307, 1e307), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(split(1e308, 1e308)).ok).toBe(true);
  });

  it('condition errors, with the condition module\'s path', () => {
    const c = spendAndPost();
    c.audience = 'bogus(user.level)';
    expectIssue(issuesOf(c), 'audience', /bogus/);
  });

  it('an entry with neither `on` nor `cron`', () => {
    const c = spendAndPost();
    c.entry = { if: 'event.amount > 0' };
    expectIssue(issuesOf(c), 'entry', /needs `on`.*or `cron`/);
  });

  it('bad quiet hours', () => {
    const c = spendAndPost();
    c.schedule.quietHours = { from: '22:00', to: '22:00' };
    expectIssue(issuesOf(c), 'schedule.quietHours.to', /must differ/);
    c.schedule.quietHours = { from: '8am', to: '22:00' };
    expectIssue(issuesOf(c), 'schedule.quietHours.from', /HH:MM/);
  });

  it('a bad time zone', () => {
    const c = spendAndPost();
    c.schedule.timezone = 'Mars/Olympus';
    expectIssue(issuesOf(c), 'schedule.timezone', /IANA/);
  });

  it('duplicate step ids', () => {
    const issues = issuesOf(
      campaignWith({
        start: { actions: { steps: [{ id: 'x', type: 'points', amount: 1 }, { id: 'x', type: 'points', amount: 2 }] }, end: true },
      }),
    );
    expectIssue(issues, 'states.start.actions.steps[1].id', /already used/);
  });

  it('a step id that is also a derived one, at the explicit `id` whatever the order of the states (not at a field nobody wrote)', () => {
    const start = { actions: { steps: [{ id: 'rewarded', type: 'points', amount: 1 }] }, transitions: [{ to: 'rewarded', on: 'x' }] };
    const rewarded = { actions: { steps: [{ type: 'points', amount: 2 }] }, end: true };
    for (const states of [{ start, rewarded }, { rewarded, start }]) {
      const issues = issuesOf(campaignWith(states));
      expect({ order: Object.keys(states), paths: issues.map((i) => i.path) }).toEqual({ order: Object.keys(states), paths: ['states.start.actions.steps[0].id'] });
      expect(issues[0].message).toMatch(/^step id "rewarded" is (already used at states\.rewarded\.actions|also the id of the step at states\.rewarded\.actions)\b/);
    }
    // The same against a step's derived position: `b/0`.
    const b = { actions: { steps: [{ type: 'points', amount: 2 }] }, end: true };
    const a = { actions: { steps: [{ id: 'b/0', type: 'points', amount: 1 }] }, transitions: [{ to: 'b', on: 'x' }] };
    expect(issuesOf(campaignWith({ start: a, b })).map((i) => i.path)).toEqual(['states.start.actions.steps[0].id']);
  });

  it('two triggers on one transition', () => {
    const issues = issuesOf(campaignWith({ start: { transitions: [{ to: 'done', on: 'x', after: 'P1D' }] }, done: { end: true } }));
    expectIssue(issues, 'states.start.transitions[0].after', /one trigger/);
  });

  it('anything that is not a campaign', () => {
    expectIssue(issuesOf(null), '', /expected object/);
    expectIssue(issuesOf({}), 'key', /expected string/);
  });
});

describe('step ids', () => {
  it('derive nested positions and keep explicit ids', () => {
    const result = compileCampaign(
      campaignWith({
        start: {
          actions: {
            strategy: 'parallel',
            steps: [
              { type: 'points', amount: 1 },
              { strategy: 'priority', steps: [{ type: 'coupon', pool: 'a' }, { id: 'fallback', type: 'points', amount: 5 }] },
            ],
          },
          end: true,
        },
      }),
    );
    expect(result.ok).toBe(true);
    const plan = planOf(result);
    const group = plan.states.start.actions!;
    const nested = group.steps[1];
    expect(nested.stepId).toBe('start/1');
    expect(nested.kind === 'group' && nested.steps.map((s) => s.stepId)).toEqual(['start/1.0', 'fallback']);
  });
});

describe('chains of immediate transitions', () => {
  const chain = (length: number) => ({
    key: 'chain',
    name: 'chain',
    entry: { on: 'order.completed' },
    initial: 's0',
    states: Object.fromEntries([
      ...Array.from({ length }, (_, i) => [`s${i}`, { transitions: [{ to: `s${i + 1}` }] }]),
      [`s${length}`, { end: true }],
    ]),
  });

  it('refuses one longer than an input may take, at the state it starts from, when a campaign is saved', () => {
    const refused = compileCampaign(chain(65), { admitting: true });
    expect(refused.ok ? [] : refused.issues).toEqual([
      { path: 'states.s0', message: expect.stringMatching(/^a chain of 65 immediate transitions starts here; one input takes at most 64/) },
    ]);
    expect(compileCampaign(chain(64), { admitting: true }).ok).toBe(true);
  });

  it('follows the longest branch of a split, and a chain thousands of states long without running out of stack', () => {
    const def = chain(3);
    (def.states as Record<string, unknown>).s0 = { transitions: [{ split: [{ to: 's1', weight: 1 }, { to: 'long0', weight: 1 }] }] };
    for (let i = 0; i < 70; i++) (def.states as Record<string, unknown>)[`long${i}`] = { transitions: [{ to: i === 69 ? 's3' : `long${i + 1}` }] };
    const refused = compileCampaign(def, { admitting: true });
    expect(refused.ok ? [] : refused.issues.map((i) => i.path)).toEqual(['states.s0']);
    const huge = compileCampaign(chain(5_000), { admitting: true });
    expect(huge.ok ? [] : huge.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^a chain of 5000 immediate/)]);
  });

  it('still compiles a stored version that has one (its running journeys recompile it)', () => {
    expect(compileCampaign(chain(65)).ok).toBe(true);
  });
});

describe('string literals PostgreSQL cannot store', () => {
  const withData = (data: Record<string, string>, when = "event.code != 'x'") =>
    campaignWith({ start: { transitions: [{ to: 'sent', on: 'order.completed', if: when }] }, sent: { actions: { steps: [{ type: 'message', channel: 'sms', template: 't', data }] }, end: true } });

  it('refuses an escape that decodes to NUL or a lone surrogate, at its path and position, when a campaign is saved', () => {
    const refused = compileCampaign(withData({ x: "'a\\u0000b'", y: "'\\ud800'", z: "'q\\0'", ok: "'\\ud83d\\ude00'" }, "event.code == 'a\\0'"), { admitting: true });
    expect(refused.ok ? [] : refused.issues).toEqual([
      { path: 'states.start.transitions[0].if', message: expect.stringMatching(/^the string must not hold a NUL character/), position: 14 },
      { path: 'states.sent.actions.steps[0].data.x', message: expect.stringMatching(/^the string must not hold a NUL character/), position: 0 },
      { path: 'states.sent.actions.steps[0].data.y', message: expect.stringMatching(/^the string must be well-formed Unicode text/), position: 0 },
      { path: 'states.sent.actions.steps[0].data.z', message: expect.stringMatching(/^the string must not hold a NUL character/), position: 0 },
    ]);
  });

  it('still compiles them in a stored version (its running journeys recompile it)', () => {
    expect(compileCampaign(withData({ x: "'a\\u0000b'" })).ok).toBe(true);
  });
});

describe('dates a calendar does not have', () => {
  it('refuses them in an `at` transition and in the schedule, at their paths', () => {
    const def = { ...campaignWith({ start: { transitions: [{ to: 'done', at: '2027-02-30T00:00:00Z' }] }, done: { end: true } }), schedule: { startsAt: '2026-04-31T00:00:00Z' } };
    const refused = compileCampaign(def);
    expect(refused.ok ? [] : refused.issues).toEqual(
      expect.arrayContaining([
        { path: 'states.start.transitions[0].at', message: 'not a real date: 2027-02-30 (that month has 28 days)' },
        { path: 'schedule.startsAt', message: 'not a real date: 2026-04-31 (that month has 30 days)' },
      ]),
    );
  });
});

describe('numbers written as text in an ordering', () => {
  const withIf = (condition: string) => campaignWith({ start: { transitions: [{ to: 'done', on: 'order.completed', if: condition }] }, done: { end: true } });

  it("refuses event.amount > '20' when a campaign is saved, at the text's position (no type coercion)", () => {
    const refused = compileCampaign(withIf("event.amount > '20' && '3.5' <= event.x"), { admitting: true });
    expect(refused.ok ? [] : refused.issues).toEqual([
      { path: 'states.start.transitions[0].if', message: expect.stringMatching(/^type mismatch: '20' is text.*write 20$/), position: 15 },
      { path: 'states.start.transitions[0].if', message: expect.stringMatching(/^type mismatch: '3.5' is text/), position: 23 },
    ]);
  });

  it('refuses the same in every notation and with word operators, at the leaf that holds it (with its position in an expression)', () => {
    const withCondition = (condition: unknown) => campaignWith({ start: { transitions: [{ to: 'done', on: 'order.completed', if: condition }] }, done: { end: true } });
    const path = 'states.start.transitions[0].if';
    const cases: Array<[unknown, DomainIssue]> = [
      ["event.price gt '20'", { path, position: 15 } as DomainIssue],
      [[['event.price gte "20"']], { path: `${path}[0][0]`, position: 16 } as DomainIssue],
      [['event.price > "20"'], { path: `${path}[0]`, position: 14 } as DomainIssue],
      [{ all: ['event.price > "20"'] }, { path: `${path}.all[0]`, position: 14 } as DomainIssue],
      [{ fact: 'event.price', op: 'gt', value: '20' }, { path: `${path}.value` } as DomainIssue],
    ];
    for (const [condition, where] of cases) {
      const refused = compileCampaign(withCondition(condition), { admitting: true });
      expect({ condition, issues: refused.ok ? [] : refused.issues }).toEqual({ condition, issues: [{ ...where, message: expect.stringMatching(/^type mismatch: '20' is text.*write 20$/) }] });
      // A stored version compiles as it was accepted.
      expect(compileCampaign(withCondition(condition)).ok).toBe(true);
    }
    // Text PostgreSQL cannot store, in a tree as in a string.
    const nul = compileCampaign(withCondition([["event.a == '\\u0000'"]]), { admitting: true });
    expect(nul.ok ? [] : nul.issues).toEqual([{ path: `${path}[0][0]`, message: expect.stringMatching(/NUL/), position: 11 }]);
    // Counted once: the normalized form's check (the fallback) does not repeat what a leaf showed.
    const once = compileCampaign(withCondition("event.price > '20'"), { admitting: true });
    expect(once.ok ? [] : once.issues).toHaveLength(1);
  });

  it('leaves text compared as text, dates, and stored versions alone', () => {
    for (const ok of ["event.tier == '20'", "event.code > 'b'", "event.at > '2026-01-01'", 'event.amount > 20']) expect(compileCampaign(withIf(ok), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(withIf("event.amount > '20'")).ok).toBe(true);
  });
});

describe('participation.frequency.max', () => {
  const withMax = (max: number) => ({ ...campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }), participation: { maxEntries: 1000, mode: 'serial', frequency: { max, per: 'P1D' } } });

  it('is at most the entry times a journey keeps (100) when saved, so "at most N in any P" holds; a stored version still compiles', () => {
    expect(compileCampaign(withMax(100), { admitting: true }).ok).toBe(true);
    expectIssue(issuesOf(withMax(101), { admitting: true }), 'participation.frequency.max', /^at most 100: a journey keeps its newest 100 entry times/);
    expect(compileCampaign(withMax(101)).ok).toBe(true);
  });
});

describe('participation.maxActive', () => {
  const withMaxActive = (maxActive: number) => ({ ...campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }), participation: { maxEntries: 1000, mode: 'parallel', maxActive } });

  it('is at most the paths a parallel journey runs (100) when saved; a stored version still compiles', () => {
    expect(compileCampaign(withMaxActive(100), { admitting: true }).ok).toBe(true);
    expectIssue(issuesOf(withMaxActive(101), { admitting: true }), 'participation.maxActive', /^at most 100: a journey's state carries every active path/);
    expect(compileCampaign(withMaxActive(101)).ok).toBe(true);
  });
});

describe('a cooldown or a frequency that never applies (review 59, finding 3)', () => {
  const withCaps = (participation: Record<string, unknown>) => ({ ...campaignWith({ start: { transitions: [{ to: 'done', on: 'finish' }] }, done: { end: true } }), participation });

  it('is refused when saved under maxEntries 1, the default: the user enters once, ever; a stored version still compiles', () => {
    for (const participation of [{ cooldown: 'P7D' }, { maxEntries: 1, cooldown: 'P7D' }]) {
      expect(issuesOf(withCaps(participation), { admitting: true })).toEqual([
        {
          path: 'participation.cooldown',
          message: 'with maxEntries 1 (the default when it is not written) a user enters once, ever, so the cooldown never applies: set maxEntries to how many times a user may enter in all; a cooldown or a frequency only spaces those entries out',
        },
      ]);
      expect(compileCampaign(withCaps(participation)).ok).toBe(true);
    }
    expectIssue(issuesOf(withCaps({ frequency: { max: 3, per: 'P7D' } }), { admitting: true }), 'participation.frequency', /^with maxEntries 1 .* so the frequency never applies/);
    expect(compileCampaign(withCaps({ frequency: { max: 3, per: 'P7D' } })).ok).toBe(true);
  });

  it('refuses a frequency whose max is not below maxEntries: the entries run out first', () => {
    expect(issuesOf(withCaps({ maxEntries: 2, frequency: { max: 5, per: 'P7D' } }), { admitting: true })).toEqual([
      { path: 'participation.frequency', message: 'a user enters at most 2 times in all (maxEntries), so at most 5 within any P7D never applies: set max below maxEntries, or raise maxEntries' },
    ]);
    expectIssue(issuesOf(withCaps({ maxEntries: 3, frequency: { max: 3, per: 'P7D' } }), { admitting: true }), 'participation.frequency', /at most 3 times in all/);
    expect(compileCampaign(withCaps({ maxEntries: 2, frequency: { max: 5, per: 'P7D' } })).ok).toBe(true);
  });

  it('keeps caps that space entries out', () => {
    for (const participation of [{ maxEntries: 2, cooldown: 'P7D' }, { maxEntries: 100, frequency: { max: 3, per: 'P7D' } }, { maxEntries: 4, cooldown: 'P1D', frequency: { max: 3, per: 'P7D' } }, { maxEntries: 1 }]) {
      expect({ participation, ok: compileCampaign(withCaps(participation), { admitting: true }).ok }).toEqual({ participation, ok: true });
    }
  });
});

describe("an aggregate's property written as a fact, 'event.amount' (review 59, finding 4)", () => {
  const withWhen = (when: unknown) => campaignWith({ start: { transitions: [{ to: 'done', when }, { to: 'done', on: 'finish' }] }, done: { end: true } });

  it('is refused when saved, at its position: it would read properties.event.amount, nothing; a stored version still compiles', () => {
    const when = "sum('order.completed', 'event.amount') >= 20";
    expect(issuesOf(withWhen(when), { admitting: true })).toEqual([
      {
        path: 'states.start.transitions[0].when',
        message:
          "sum('order.completed', 'event.amount') reads 'event.amount' within each order.completed event's properties, that is properties.event.amount, not event.amount: an aggregate's property is named as it is within the event's properties, so write 'amount' (a property itself named \"event\" cannot be aggregated)",
        position: when.indexOf("'event.amount'"),
      },
    ]);
    expect(compileCampaign(withWhen(when)).ok).toBe(true);
  });

  it('is refused for every aggregate with a property, spelled event. or properties., in conditions and values', () => {
    for (const when of ["avg('o', 'properties.amount') > 1", "distinct('o', 'event.sku') >= 2", "min('o', 'event.properties.price') < 3", "max('o', 'event.a.b') > 0"]) {
      expect({ when, paths: issuesOf(withWhen(when), { admitting: true }).map((i) => i.path) }).toEqual({ when, paths: ['states.start.transitions[0].when'] });
    }
    expectIssue(issuesOf(withWhen([["sum('o', 'event.amount') >= 20"]]), { admitting: true }), 'states.start.transitions[0].when', /write 'amount'/);
    expectIssue(issuesOf(withWhen("min('o', 'event.properties.price') < 3"), { admitting: true }), 'states.start.transitions[0].when', /write 'price'/);
    const amount = campaignWith({ start: { transitions: [{ to: 'a', on: 'go' }] }, a: { actions: { steps: [{ type: 'points', amount: "sum('order.completed', 'event.amount') * 10" }] }, end: true } });
    expectIssue(issuesOf(amount, { admitting: true }), 'states.a.actions.steps[0].amount', /^sum\('order.completed', 'event.amount'\) reads 'event.amount'/);
  });

  it("keeps a property named within the event's properties, nested or not", () => {
    for (const when of ["sum('order.completed', 'amount') >= 20", "max('o', 'cart.total') > 1", "sum('o', 'amount', event.channel == 'web') > 1", "count('o', event.amount > 1) > 1"]) {
      expect({ when, ok: compileCampaign(withWhen(when), { admitting: true }).ok }).toEqual({ when, ok: true });
    }
  });
});
