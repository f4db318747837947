import { natsMessageFate } from './nats-subjects';

describe('natsMessageFate: what a NATS source does with a message its durable handed out (review-62-mq, finding 2)', () => {
  it('hands back a message on a subject its own subject does not take: the durable was filtered for another version', () => {
    expect(natsMessageFate('orders.paid', 'orders.refunded', false)).toBe('hand-back');
    expect(natsMessageFate('orders.refunded', 'orders.paid', false)).toBe('hand-back');
    // `*` is one token, never none or two.
    expect(natsMessageFate('orders.*', 'orders.eu.paid', false)).toBe('hand-back');
    expect(natsMessageFate('orders.*', 'orders', false)).toBe('hand-back');
    // `>` is one token or more, never none.
    expect(natsMessageFate('orders.>', 'orders', false)).toBe('hand-back');
    expect(natsMessageFate('orders.>', 'refunds.paid', false)).toBe('hand-back');
  });

  it('consumes a message on a subject it takes, literally or through * and >', () => {
    expect(natsMessageFate('orders.paid', 'orders.paid', false)).toBe('consume');
    expect(natsMessageFate('orders.*', 'orders.paid', false)).toBe('consume');
    expect(natsMessageFate('*.paid', 'orders.paid', false)).toBe('consume');
    expect(natsMessageFate('orders.>', 'orders.eu.paid', false)).toBe('consume');
    expect(natsMessageFate('orders.*.paid', 'orders.eu.paid', false)).toBe('consume');
    // A business message on a subject ending in .dlq (no Kairos-Reason), and a replay source on a dead-letter subject.
    expect(natsMessageFate('orders.>', 'orders.returns.dlq', false)).toBe('consume');
    expect(natsMessageFate('orders.paid.dlq', 'orders.paid.dlq', true)).toBe('consume');
  });

  it('skips (acknowledges) the dead letters it wrote itself, but hands back those of a subject only another version takes', () => {
    expect(natsMessageFate('orders.>', 'orders.paid.dlq', true)).toBe('skip');
    expect(natsMessageFate('>', 'orders.paid.dlq', true)).toBe('skip');
    // v1 on orders.paid, v2 replaying orders.paid.dlq on the same durable: v1 must not acknowledge v2's input away.
    expect(natsMessageFate('orders.paid', 'orders.paid.dlq', true)).toBe('hand-back');
    expect(natsMessageFate('orders.*', 'orders.paid.dlq', true)).toBe('hand-back');
  });
});
