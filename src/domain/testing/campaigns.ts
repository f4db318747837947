/**
 * Campaign fixtures for tests. Each call returns a fresh copy so a test can
 * mutate it freely. Durations are seconds, as in the integration tests.
 */
import spendAndPostJson from '../../../examples/campaigns/spend-and-post.json';

/** Tests reshape fixtures freely (including into invalid campaigns), so they are untyped JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The example of CAMPAIGNS.md, as in examples/campaigns/spend-and-post.json. */
export function spendAndPost(): Json {
  return copy(spendAndPostJson) as Json;
}

/** A small campaign built around one state's transitions, for rule-by-rule tests. */
export function campaignWith(states: Json, extra: Json = {}): Json {
  return copy({
    key: 'test',
    name: 'Test campaign',
    entry: { on: 'order.completed' },
    initial: 'start',
    ...extra,
    states,
  });
}

/**
 * Two reward steps whose ids, joined with a user id by `:`, used to collide:
 * user `a:1` at step `x` and user `a` at step `1:x` (issue 11).
 */
export function collidingKeySteps(): Json {
  return campaignWith(
    { start: { actions: { strategy: 'parallel', steps: [{ id: 'x', type: 'points', amount: 10 }, { id: '1:x', type: 'points', amount: 20 }] }, transitions: [{ to: 'done' }] }, done: { end: true } },
    { key: 'keys' },
  );
}
export const COLLIDING_USERS = ['a:1', 'a'] as const;
