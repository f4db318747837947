import fc from 'fast-check';
import { Transition } from '../campaign/schema';
import { setTrigger, triggerOf, withTrigger, type Trigger } from './triggers';

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
});
