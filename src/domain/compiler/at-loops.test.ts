/**
 * Review 59, finding 1: an `at` already past fires as soon as a path arrives,
 * so a loop through one that waits for nothing else goes round for ever once
 * its time has passed (one timer per lap, a reward on each). Refused when a
 * campaign is admitted; a stored version compiles as it was accepted.
 */
import { campaignWith } from '../testing/campaigns';
import type { DomainIssue } from '../issues';
import { shortestWay, strongComponents } from './components';
import { compileCampaign } from './index';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const AT = '2026-12-01T00:00:00Z';

const admitted = (def: unknown): Array<[string, string]> => {
  const result = compileCampaign(def, { admitting: true, now: NOW });
  return result.ok ? [] : result.issues.map((i: DomainIssue) => [i.path, i.message]);
};

/** "On 1 December give a bonus, then keep collecting" (the review's input); `back` leads from `bonus` back to `collecting`. */
const bonusOnce = (back: Record<string, unknown> = {}) =>
  campaignWith(
    {
      collecting: { transitions: [{ to: 'done', on: 'order.refunded' }, { to: 'bonus', at: AT }] },
      bonus: { actions: { steps: [{ id: 'dec-bonus', type: 'points', amount: 100 }] }, transitions: [{ to: 'collecting', ...back }] },
      done: { end: true },
    },
    { initial: 'collecting' },
  );

describe('a loop through an `at` transition', () => {
  it('is refused when admitted, at the `at`, saying why; a stored version still compiles', () => {
    expect(admitted(bonusOnce())).toEqual([
      [
        'states.collecting.transitions[1]',
        `loop through an \`at\`: collecting → bonus → collecting; an \`at\` whose time has passed fires as soon as a path arrives, so once ${AT} has passed a path that comes back to "collecting" goes round again at once, for ever, running the actions on the way on every lap: add a transition that waits (on, when, after) on the way`,
      ],
    ]);
    expect(compileCampaign(bonusOnce()).ok).toBe(true);
  });

  it('is refused whatever else on the way waits for nothing: a `when` that always holds, a branch, a split, another `at`, itself', () => {
    const loops: Record<string, unknown> = {
      'a `when` that always holds': bonusOnce({ when: true }),
      'a branch': campaignWith(
        {
          collecting: { transitions: [{ to: 'done', on: 'order.refunded' }, { to: 'bonus', at: AT }] },
          bonus: { transitions: [{ to: 'collecting', if: 'user.vip == true' }, { to: 'done' }] },
          done: { end: true },
        },
        { initial: 'collecting' },
      ),
      'a split': campaignWith(
        {
          collecting: { transitions: [{ to: 'done', on: 'order.refunded' }, { to: 'bonus', at: AT }] },
          bonus: { transitions: [{ split: [{ to: 'collecting', weight: 1 }, { to: 'done', weight: 1 }] }] },
          done: { end: true },
        },
        { initial: 'collecting' },
      ),
      'another `at`': campaignWith(
        {
          collecting: { transitions: [{ to: 'done', on: 'order.refunded' }, { to: 'bonus', at: AT }] },
          bonus: { transitions: [{ to: 'done', on: 'order.refunded' }, { to: 'collecting', at: '2026-12-08T00:00:00Z' }] },
          done: { end: true },
        },
        { initial: 'collecting' },
      ),
      itself: campaignWith({ start: { transitions: [{ to: 'done', on: 'stop' }, { to: 'start', at: AT }] }, done: { end: true } }),
    };
    for (const [name, def] of Object.entries(loops)) {
      const issues = admitted(def);
      // One issue a loop, at an `at` on it (the second `at` of the same loop is not reported again).
      expect({ name, issues: issues.map(([path, message]) => [path, message.slice(0, 22)]) }).toEqual({
        name,
        issues: [[name === 'itself' ? 'states.start.transitions[1]' : 'states.collecting.transitions[1]', 'loop through an `at`: ']],
      });
      expect({ name, stored: compileCampaign(def).ok }).toEqual({ name, stored: true });
    }
    expect(admitted(loops.itself)[0][1]).toMatch(/^loop through an `at`: start → start;/);
  });

  it('is kept when something on the way waits: an event, a `when` that can be false, an `after`', () => {
    for (const back of [{ on: 'order.completed' }, { when: "count('order.completed') >= 1" }, { after: 'P7D' }]) {
      expect({ back, issues: admitted(bonusOnce(back)) }).toEqual({ back, issues: [] });
    }
  });

  it('leaves an `at` that leads on, and a chain that an `at` cuts in two inputs (the timer is one of its own)', () => {
    expect(admitted(campaignWith({ start: { transitions: [{ to: 'bonus', at: AT }] }, bonus: { transitions: [{ to: 'done' }] }, done: { end: true } }))).toEqual([]);
    // 40 immediate transitions, an `at`, 40 more: no input takes more than 64.
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) states[`a${i}`] = { transitions: [{ to: i === 39 ? 'wait' : `a${i + 1}` }] };
    states.wait = { transitions: [{ to: 'b0', at: AT }] };
    for (let i = 0; i < 40; i++) states[`b${i}`] = { transitions: [{ to: i === 39 ? 'done' : `b${i + 1}` }] };
    states.done = { end: true };
    expect(admitted(campaignWith(states, { initial: 'a0' }))).toEqual([]);
  });
});

describe('strongComponents and shortestWay', () => {
  const next = new Map<string, string[]>([
    ['a', ['b']],
    ['b', ['c', 'x']],
    ['c', ['a', 'd']],
    ['d', ['d']],
    ['e', []],
  ]);

  it('group the states that reach each other, and find the shortest way between two', () => {
    const c = strongComponents(next);
    expect(c.get('a')).toBe(c.get('b'));
    expect(c.get('a')).toBe(c.get('c'));
    expect(new Set([c.get('a'), c.get('d'), c.get('e')]).size).toBe(3);
    expect(shortestWay(next, 'b', 'a')).toEqual(['b', 'c', 'a']);
    expect(shortestWay(next, 'd', 'd')).toEqual(['d']);
    expect(shortestWay(next, 'd', 'a')).toBeNull();
  });

  it('walk a chain far deeper than the call stack goes', () => {
    const long = new Map<string, string[]>(Array.from({ length: 100_000 }, (_, i) => [`s${i}`, [`s${(i + 1) % 100_000}`]]));
    const c = strongComponents(long);
    expect(new Set(c.values()).size).toBe(1);
  });
});
