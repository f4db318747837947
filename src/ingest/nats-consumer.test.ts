import { subjectCovers } from './nats-consumer';

describe('subjectCovers: does a stream subject take every subject a pattern can be', () => {
  it('matches literals, * one token and > the rest', () => {
    expect(subjectCovers('shop.paid.dlq', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.*.dlq', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.>', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.paid', 'shop.paid.dlq')).toBe(false);
    expect(subjectCovers('shop.paid.>', 'shop.paid')).toBe(false);
  });

  it('covers a wildcard pattern only with a wildcard at least as wide', () => {
    expect(subjectCovers('orders.*.dlq', 'orders.*.dlq')).toBe(true);
    expect(subjectCovers('orders.>', 'orders.*.dlq')).toBe(true);
    expect(subjectCovers('orders.eu.dlq', 'orders.*.dlq')).toBe(false);
    expect(subjectCovers('orders.*', 'orders.>')).toBe(false);
  });
});
