import { isOwnDeadLetter, subjectCovers, subjectsOverlap, subjectsShareEvents } from './nats-consumer';

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

describe('isOwnDeadLetter: which messages a source skips as the dead letters it published', () => {
  it('skips <a subject it consumes>.dlq with a reason, and consumes a dead-letter subject it was pointed at', () => {
    expect(isOwnDeadLetter('orders.>', 'orders.paid.dlq', true)).toBe(true);
    expect(isOwnDeadLetter('orders.*', 'orders.paid.dlq', true)).toBe(true);
    expect(isOwnDeadLetter('refunds.>', 'orders.paid.dlq', true)).toBe(false);
    expect(isOwnDeadLetter('orders.>', 'orders.paid', true)).toBe(false);
    // A source replaying dead letters: its own subject ends in .dlq, and those messages are its input.
    expect(isOwnDeadLetter('orders.paid.dlq', 'orders.paid.dlq', true)).toBe(false);
    expect(isOwnDeadLetter('>', 'orders.paid.dlq', true)).toBe(true);
  });

  it('consumes a business message whose subject ends in .dlq: it has no Kairos-Reason (mq probe)', () => {
    expect(isOwnDeadLetter('orders.>', 'orders.returns.dlq', false)).toBe(false);
    expect(isOwnDeadLetter('>', 'orders.paid.dlq', false)).toBe(false);
  });
});

describe('subjectsOverlap: could one message match both', () => {
  it('literals, * and > on either side', () => {
    expect(subjectsOverlap('orders.paid', 'orders.paid')).toBe(true);
    expect(subjectsOverlap('orders.paid', 'orders.refunded')).toBe(false);
    expect(subjectsOverlap('orders.*', 'orders.paid')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders.eu.paid')).toBe(true);
    expect(subjectsOverlap('orders.*', 'orders.eu.paid')).toBe(false);
    expect(subjectsOverlap('*.paid', 'orders.*')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders')).toBe(false);
    expect(subjectsOverlap('>', 'anything.at.all')).toBe(true);
    expect(subjectsOverlap('a.b', 'a.b.c')).toBe(false);
  });
});

describe('subjectsShareEvents: would one message be an event of both sources', () => {
  it("overlapping subjects do, except where one only takes the other's own dead letters (a replay source: mq probe)", () => {
    expect(subjectsShareEvents('orders.>', 'orders.paid')).toBe(true);
    expect(subjectsShareEvents('orders.paid', 'orders.*')).toBe(true);
    expect(subjectsShareEvents('orders.>', 'orders.paid.dlq')).toBe(false);
    expect(subjectsShareEvents('orders.paid.dlq', 'orders.>')).toBe(false);
    expect(subjectsShareEvents('orders.>', 'orders.*.dlq')).toBe(false);
    expect(subjectsShareEvents('>', 'orders.paid.dlq')).toBe(false);
    // Two replay sources on one dead-letter subject would both take it.
    expect(subjectsShareEvents('orders.paid.dlq', 'orders.paid.dlq')).toBe(true);
    expect(subjectsShareEvents('orders.paid', 'refunds.paid')).toBe(false);
  });
});
