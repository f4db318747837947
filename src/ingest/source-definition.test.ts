import { NatsSource, RabbitMqSource, SourceDefinition, subjectProblem } from './source-definition';

const mapping = { id: 'id', type: { const: 'order.paid' }, userId: 'user' };
const nats = (subject: string) => ({ key: 'k', broker: 'nats', stream: 's', subject, mapping });

describe('NatsSource subject: what JetStream takes for a stream that acknowledges publishes', () => {
  it.each(['>', '*.paid', '*.>', '*.*.paid', '*'])('finds %s, whose first token is a wildcard, a problem for a new source', (subject) => {
    expect(subjectProblem(subject)).toMatch(/^JetStream refuses a stream on a subject whose first token is a wildcard/);
  });

  it.each(['>', '*.paid'])('still reads %s in a stored source (servers before 2.10.17 took it, and it keeps being consumed)', (subject) => {
    for (const schema of [NatsSource, SourceDefinition]) expect(schema.safeParse(nats(subject)).success).toBe(true);
  });

  it.each(['orders', 'orders.paid', 'orders.>', 'orders.*', 'shop.*.paid', 'orders.paid.dlq', 'a.*.*.>'])('takes %s, whose first token is literal', (subject) => {
    expect(subjectProblem(subject)).toBeNull();
    expect(NatsSource.safeParse(nats(subject))).toMatchObject({ success: true, data: { subject } });
  });

  it('says a malformed subject is malformed, once', () => {
    const result = NatsSource.safeParse(nats('orders..paid'));
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([[['subject'], 'a NATS subject such as orders.paid or orders.>']]);
  });
});

describe('RabbitMqSource queue: names RabbitMQ lets a source declare (review-58-sources, finding 3)', () => {
  const rabbit = (queue: string) => ({ key: 'k', broker: 'rabbitmq', queue, mapping });

  it('refuses amq, whose dead-letter exchange and queue (amq.dlx, amq.dlq) would be reserved names, at queue', () => {
    for (const schema of [RabbitMqSource, SourceDefinition]) {
      const result = schema.safeParse(rabbit('amq'));
      expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
        [['queue'], 'its dead-letter exchange and queue would be amq.dlx and amq.dlq, and names starting "amq." are reserved by RabbitMQ (it refuses to declare them); choose another'],
      ]);
    }
  });

  it('refuses amq.* once, for the queue itself', () => {
    expect(RabbitMqSource.safeParse(rabbit('amq.orders')).error?.issues.map((i) => [i.path, i.message])).toEqual([[['queue'], 'names starting "amq." are reserved by RabbitMQ for its own queues; choose another']]);
  });

  it.each(['amqp', 'amq-orders', 'amq_orders', 'orders.amq', 'AMQ'])('takes %s', (queue) => {
    expect(RabbitMqSource.safeParse(rabbit(queue))).toMatchObject({ success: true, data: { queue } });
  });
});
