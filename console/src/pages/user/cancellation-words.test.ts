import { amount } from '../../ui/numbers';
import { cancellationSentence } from './cancellation-words';

describe('cancellationSentence', () => {
  const order = { id: 'o-1', type: 'order', cancelReason: null };

  it('says what was cancelled, by whom, and what was reclaimed', () => {
    expect(cancellationSentence(order, [{ kind: 'coupon', status: 'reclaimed' }])).toBe('order o-1 cancelled by support: coupon reclaimed');
    expect(
      cancellationSentence({ id: 'o-2', type: 'order.completed', cancelReason: 'refund 7781' }, [
        { kind: 'coupon', code: 'WELCOME-10', status: 'reclaimed' },
        { kind: 'points', amount: 1_000_000, status: 'reclaimed' },
      ]),
    ).toBe(`order.completed o-2 cancelled by support (refund 7781): coupon WELCOME-10 reclaimed, ${amount(1_000_000)} points reclaimed`);
  });

  it('says when nothing was taken back, when a reward is still being taken back, and when one could not be', () => {
    expect(cancellationSentence(order, [])).toBe('order o-1 cancelled by support: nothing to take back');
    expect(cancellationSentence({ ...order, type: null }, [{ kind: 'points', amount: 1, status: 'issued' }])).toBe('event o-1 cancelled by support: 1 point being taken back');
    expect(cancellationSentence(order, [{ kind: 'coupon', code: 'C-1', status: 'unreclaimable' }])).toBe('order o-1 cancelled by support: coupon C-1 could not be taken back');
  });

  it('says what the desk cannot see instead of "nothing" when it is told it does not know', () => {
    expect(cancellationSentence(order, [], 'what it took back is not known here (the rewards list could not be read)')).toBe(
      'order o-1 cancelled by support: what it took back is not known here (the rewards list could not be read)',
    );
    expect(cancellationSentence(order, [{ kind: 'coupon', status: 'reclaimed' }], 'not known')).toBe('order o-1 cancelled by support: coupon reclaimed');
  });
});
