import { amount } from '../../ui/numbers';
import { edgeName, edgeText } from './edge-text';

describe('edge text', () => {
  it('groups the count as the locale does, as every other count on the page', () => {
    expect(edgeText('order.completed', 1234)).toBe(`order.completed · ${amount(1234)} taken`);
    expect(edgeText('order.completed', 1234)).not.toContain('1234');
    expect(edgeText('after 2 days', 7, true)).toBe('after 2 days · 7* taken');
    expect(edgeName('shopping', 'rewarded', 'order.completed', 1_000_000)).toBe(`shopping to rewarded: order.completed, ${amount(1_000_000)} taken`);
    expect(edgeName('shopping', 'rewarded', 'order.completed', null)).toBe('shopping to rewarded: order.completed');
  });
});
