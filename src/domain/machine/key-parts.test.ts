import fc from 'fast-check';
import { COLLIDING_USERS, collidingKeySteps } from '../testing/campaigns';
import { compiled } from '../testing/journey';
import { joinKeyParts, splitKeyParts } from './key-parts';
import { initialJourneyState } from './state';
import { step, type StepOptions } from './step';

const plan = compiled(collidingKeySteps());

/** The reward keys one user's first entry produces, by step id. */
function keysFor(userId: string, options: StepOptions = {}): Record<string, string> {
  const state = initialJourneyState(plan, { campaignKey: plan.key, userId, seed: 's' });
  const event = { version: 1 as const, id: 'e1', type: 'order.completed', userId, occurredAt: '2026-11-21T10:00:00Z', properties: {} };
  const { effects } = step(plan, state, { version: 1, kind: 'event', event, now: Date.parse('2026-11-21T10:00:00Z') }, options);
  return Object.fromEntries(effects.flatMap((e) => (e.kind === 'runAction' ? [[e.stepId, e.idempotencyKey]] : [])));
}

describe('idempotency keys cannot collide (issue 11)', () => {
  const [withColon, plain] = COLLIDING_USERS;

  it('user a:1 at step x and user a at step 1:x get different keys', () => {
    const keys = [...Object.values(keysFor(withColon)), ...Object.values(keysFor(plain))];
    expect(new Set(keys).size).toBe(4);
    expect(keysFor(withColon).x).toBe('keys:a%3A1:1:1:x');
    expect(keysFor(plain)['1:x']).toBe('keys:a:1:1:1%3Ax');
  });

  it('journeys from before patch encoded-reward-keys keep their keys, collision included', () => {
    const legacy = { encodedIdempotencyKeys: false };
    expect(keysFor(withColon, legacy).x).toBe('keys:a:1:1:1:x');
    expect(keysFor(plain, legacy)['1:x']).toBe('keys:a:1:1:1:x');
  });

  it('ids without % or : keep the key they always had', () => {
    expect(keysFor('u-1').x).toBe('keys:u-1:1:1:x');
    expect(keysFor('u-1', { encodedIdempotencyKeys: false }).x).toBe('keys:u-1:1:1:x');
  });

  it('a joined key names one tuple only', () => {
    const part = fc.string({ unit: fc.constantFrom('a', ':', '%', '3', 'A', '2', '5', 'é') });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), fc.array(part, { minLength: 1, maxLength: 5 }), (p, q) => {
        expect(splitKeyParts(joinKeyParts(p))).toEqual(p);
        if (JSON.stringify(p) !== JSON.stringify(q)) expect(joinKeyParts(p)).not.toBe(joinKeyParts(q));
      }),
      { numRuns: 500 },
    );
  });
});
