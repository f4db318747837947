import { deliveryInputBytes, fitsInTask } from './delivery-inputs';

describe('delivery inputs per workflow task', () => {
  it('weighs a message by its data and a webhook by its body, as JSON; a reward weighs nothing', () => {
    expect(deliveryInputBytes({ type: 'message', channel: 'email', template: 't', data: { blob: 'é'.repeat(10) } })).toBe(JSON.stringify({ blob: '' }).length + 20);
    expect(deliveryInputBytes({ type: 'webhook', url: 'https://hooks.example.com/x', body: [1, 2] })).toBe(5);
    expect(deliveryInputBytes({ type: 'webhook', url: 'https://hooks.example.com/x', body: null })).toBe(4);
    expect(deliveryInputBytes({ type: 'points', amount: 5, pool: null })).toBe(0);
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
