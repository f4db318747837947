import { jsonBytes } from '../json-size';
import { COMMAND_OVERHEAD_BYTES, deliveryInputBytes, fitsInTask } from './delivery-inputs';
import type { RunAction } from './effects';

describe('delivery inputs per workflow task', () => {
  const run = (action: RunAction['action'], causedBy: string[] = ['e1']): RunAction => ({ kind: 'runAction', pathId: 'p1', stepId: 's', action, idempotencyKey: 'k', causedBy, summary: 'm' });
  const around = (causedBy: string[] = ['e1']) => jsonBytes(causedBy) + jsonBytes('k') + jsonBytes('m') + COMMAND_OVERHEAD_BYTES;

  it('weighs a message by its data and a webhook by its body, as JSON, with what every delivery input carries; a reward weighs nothing', () => {
    expect(deliveryInputBytes(run({ type: 'message', channel: 'email', template: 't', data: { blob: 'é'.repeat(10) } }))).toBe(JSON.stringify({ blob: '' }).length + 20 + around());
    expect(deliveryInputBytes(run({ type: 'webhook', url: 'https://hooks.example.com/x', body: [1, 2] }))).toBe(5 + around());
    expect(deliveryInputBytes(run({ type: 'webhook', url: 'https://hooks.example.com/x', body: null }))).toBe(4 + around());
    expect(deliveryInputBytes(run({ type: 'points', amount: 5, pool: null }))).toBe(0);
  });

  it('weighs the causes: 199 event ids of 200 characters make a small message weigh 40 KB (review-51-diff, finding 1)', () => {
    const causes = Array.from({ length: 199 }, (_, i) => `${i}`.padStart(200, 'e'));
    expect(deliveryInputBytes(run({ type: 'message', channel: 'push', template: 't', data: {} }, causes))).toBeGreaterThan(40_000);
  });

  it('fits an input while the task stays within its budget, and always the first of a task', () => {
    expect(fitsInTask(0, 10, 100)).toBe(true);
    expect(fitsInTask(90, 10, 100)).toBe(true);
    expect(fitsInTask(91, 10, 100)).toBe(false);
    expect(fitsInTask(0, 500, 100)).toBe(true);
    expect(fitsInTask(0, Number.POSITIVE_INFINITY, 100)).toBe(true);
    expect(fitsInTask(Number.POSITIVE_INFINITY, 1, 100)).toBe(false);
  });
});
