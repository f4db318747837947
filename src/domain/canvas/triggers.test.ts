import fc from 'fast-check';
import { Transition } from '../campaign/schema';
import { changeKind, setTrigger, triggerOf, weightOf, whenTrigger, withBranchAdded, withBranchRemoved, withTrigger, type Trigger } from './triggers';

const condition = fc.constantFrom<string | string[][]>('event.amount > 0', [['event.a == 1', 'event.b == 2'], ['event.c == 3']]);
const trigger: fc.Arbitrary<Trigger> = fc.oneof(
  fc.record({ kind: fc.constant('event' as const), on: fc.constantFrom('order.completed', 'post.created'), if: condition }, { requiredKeys: ['kind', 'on'] }),
  fc.record({ kind: fc.constant('when' as const), when: condition }),
  fc.record({ kind: fc.constant('after' as const), after: fc.constantFrom('P3D', 'PT10S') }),
  fc.record({ kind: fc.constant('at' as const), at: fc.constant('2026-12-01T09:00:00+08:00') }),
  fc.record({ kind: fc.constant('immediate' as const), if: condition }, { requiredKeys: ['kind'] }),
  fc.record({
    kind: fc.constant('split' as const),
    branches: fc.array(fc.record({ to: fc.constantFrom('a', 'b', 'c'), weight: fc.integer({ min: 1, max: 100 }) }), { minLength: 1, maxLength: 3 }),
  }),
);

describe('transition triggers', () => {
  it('reads each kind of the language', () => {
    expect(triggerOf({ to: 'x', on: 'order.completed', if: 'event.amount > 0' })).toEqual({ kind: 'event', on: 'order.completed', if: 'event.amount > 0' });
    expect(triggerOf({ to: 'x', after: 'P3D' })).toEqual({ kind: 'after', after: 'P3D' });
    expect(triggerOf({ to: 'x' })).toEqual({ kind: 'immediate' });
    expect(triggerOf({ split: [{ to: 'a', weight: 1 }] })).toEqual({ kind: 'split', branches: [{ to: 'a', weight: 1 }] });
  });

  it('changing the kind drops the old kind and keeps target and id', () => {
    expect(setTrigger({ id: 't1', to: 'x', on: 'order.completed', if: 'event.amount > 0' }, { kind: 'after', after: 'P1D' })).toEqual({ id: 't1', to: 'x', after: 'P1D' });
    expect(setTrigger({ split: [{ to: 'a', weight: 1 }] }, { kind: 'when', when: 'event.a == 1' })).toEqual({ to: 'a', when: 'event.a == 1' });
  });

  it('property: trigger → transition → trigger is the identity, and the transition passes the schema', () => {
    fc.assert(
      fc.property(trigger, (t) => {
        const transition = withTrigger('target', t);
        expect(triggerOf(transition)).toEqual(t);
        expect(Transition.safeParse(transition).success).toBe(true);
      }),
    );
  });

  describe('changing the kind in the panel', () => {
    const defaults = { to: 'next', on: 'order.completed', at: '2026-12-01T09:00:00Z' };

    it("carries an event's `if` into a `when` and back, keeping the event type the panel remembers", () => {
      const event: Trigger = { kind: 'event', on: 'post.created', if: "count('post.created') >= 3" };
      const when = changeKind(event, 'when', defaults);
      expect(when).toEqual({ trigger: { kind: 'when', when: "count('post.created') >= 3" }, lost: null });
      expect(changeKind(when.trigger, 'event', { ...defaults, on: 'post.created' })).toEqual({ trigger: { kind: 'event', on: 'post.created', if: "count('post.created') >= 3" }, lost: null });
      expect(changeKind(event, 'immediate', defaults)).toEqual({ trigger: { kind: 'immediate', if: "count('post.created') >= 3" }, lost: null });
      expect(changeKind({ kind: 'when', when: [['a > 1', 'b > 2']] }, 'immediate', defaults).trigger).toEqual({ kind: 'immediate', if: [['a > 1', 'b > 2']] });
    });

    it('names the condition a kind without one would drop, and drops nothing unasked otherwise', () => {
      const when: Trigger = { kind: 'when', when: 'user.vip == true' };
      expect(changeKind(when, 'after', defaults)).toEqual({ trigger: { kind: 'after', after: 'P1D' }, lost: 'the condition "user.vip == true"' });
      expect(changeKind(when, 'at', defaults).lost).toBe('the condition "user.vip == true"');
      expect(changeKind(when, 'split', defaults)).toEqual({ trigger: { kind: 'split', branches: [{ to: 'next', weight: 50 }] }, lost: 'the condition "user.vip == true"' });
      expect(changeKind({ kind: 'when', when: [['a > 1'], ['b > 2']] }, 'after', defaults).lost).toBe('the condition "[["a > 1"],["b > 2"]]"');
      expect(changeKind({ kind: 'event', on: 'order.completed' }, 'after', defaults).lost).toBeNull();
      // A `when` needs a condition: one made up only when there was none to carry, and dropping only that loses nothing.
      const madeUp = changeKind({ kind: 'after', after: 'P1D' }, 'when', defaults);
      expect(madeUp).toEqual({ trigger: { kind: 'when', when: "count('order.completed') >= 1" }, lost: null });
      expect(changeKind(madeUp.trigger, 'at', defaults).lost).toBeNull();
      expect(changeKind(when, 'when', defaults)).toEqual({ trigger: when, lost: null });
    });

    it("names a split's other branches and its weights, which no other kind holds", () => {
      const ab: Trigger = { kind: 'split', branches: [{ to: 'a', weight: 90 }, { to: 'b', weight: 10 }] };
      for (const kind of ['event', 'when', 'after', 'at', 'immediate'] as const) {
        expect(changeKind(ab, kind, defaults).lost).toBe('the branch to b and the weights 90/10');
      }
      expect(changeKind({ kind: 'split', branches: [{ to: 'a', weight: 1 }, { to: 'b', weight: 1 }, { to: 'c', weight: 2 }] }, 'event', defaults).lost).toBe(
        'the branches to b and c and the weights 1/1/2',
      );
      expect(changeKind({ kind: 'split', branches: [{ to: 'a', weight: 90 }] }, 'after', defaults).lost).toBe('the weight 90');
      // A split's seed (one branch of 50) goes without asking.
      expect(changeKind({ kind: 'split', branches: [{ to: 'a', weight: 50 }] }, 'after', defaults).lost).toBeNull();
      // Remembered, the branches come back.
      expect(changeKind({ kind: 'event', on: 'order.completed' }, 'split', { ...defaults, branches: [{ to: 'a', weight: 90 }, { to: 'b', weight: 10 }] }).trigger).toEqual(ab);
    });

    it('names a wait and a time it would drop, and gives back the ones remembered', () => {
      expect(changeKind({ kind: 'after', after: 'P3D' }, 'at', defaults)).toEqual({ trigger: { kind: 'at', at: defaults.at }, lost: 'the wait "P3D"' });
      expect(changeKind({ kind: 'after', after: 'P1D' }, 'at', defaults).lost).toBeNull();
      expect(changeKind({ kind: 'at', at: '2027-01-01T00:00:00Z' }, 'after', defaults).lost).toBe('the time "2027-01-01T00:00:00Z"');
      expect(changeKind({ kind: 'at', at: '2027-01-01T00:00:00Z' }, 'after', { ...defaults, after: 'P3D' }).trigger).toEqual({ kind: 'after', after: 'P3D' });
      expect(changeKind({ kind: 'after', after: 'P3D' }, 'when', { ...defaults, when: 'user.vip == true' }).trigger).toEqual({ kind: 'when', when: 'user.vip == true' });
    });
  });

  it('an emptied `when` is no trigger, never `true` (which would move everyone on at once)', () => {
    expect(whenTrigger(undefined)).toBeNull();
    expect(whenTrigger('user.vip == true')).toEqual({ kind: 'when', when: 'user.vip == true' });
  });

  describe('split branches', () => {
    it('a new branch goes to a state no branch takes yet, and none when every state has one', () => {
      expect(withBranchAdded([{ to: 'a', weight: 50 }], ['a', 'b', 'c'])).toEqual([
        { to: 'a', weight: 50 },
        { to: 'b', weight: 50 },
      ]);
      expect(withBranchAdded([{ to: 'b', weight: 1 }, { to: 'a', weight: 1 }], ['a', 'b', 'c'])?.[2]).toEqual({ to: 'c', weight: 50 });
      expect(withBranchAdded([{ to: 'a', weight: 1 }, { to: 'b', weight: 1 }], ['a', 'b'])).toBeNull();
    });

    it('removes any branch but the only one', () => {
      const two = [
        { to: 'a', weight: 30 },
        { to: 'b', weight: 70 },
      ];
      expect(withBranchRemoved(two, 1)).toEqual([{ to: 'a', weight: 30 }]);
      expect(withBranchRemoved(two, 0)).toEqual([{ to: 'b', weight: 70 }]);
      expect(withBranchRemoved([{ to: 'a', weight: 30 }], 0)).toBeNull();
      expect(withBranchRemoved(two, 2)).toBeNull();
    });

    it('an emptied weight is no weight (a draft), not 0', () => {
      expect(weightOf('')).toBeNull();
      expect(weightOf('  ')).toBeNull();
      expect(weightOf('0')).toBe(0);
      expect(weightOf('25')).toBe(25);
      expect(weightOf('2.5')).toBe(2.5);
    });
  });
});
