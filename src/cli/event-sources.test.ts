import { SourceDefinition } from '../ingest/source-definition';
import { sourceChanges, sourceItems, sourceKey, sourceReads, sourceRows } from './event-sources';

const rabbit = { key: 'shop-orders', broker: 'rabbitmq', queue: 'shop.order-paid', mapping: { type: { const: 'order.completed' }, userId: 'buyer.uid', id: 'orderNo' } };
/** What the server stores for `rabbit`: the schema's output, defaults filled in. */
const stored = SourceDefinition.parse(rabbit) as unknown as Record<string, unknown>;

describe('kairos sources: the pure parts', () => {
  it('says where each broker reads', () => {
    expect(sourceReads(stored)).toBe('queue shop.order-paid');
    expect(sourceReads({ ...stored, bind: { exchange: 'shop', routingKey: 'order.*' } })).toBe('queue shop.order-paid (bound to shop order.*)');
    expect(sourceReads({ broker: 'nats', stream: 'ORDERS', subject: 'orders.>' })).toBe('stream ORDERS subject orders.>');
    expect(sourceReads({ broker: 'kafka' })).toBe('-');
  });

  it('lists one row per source, enabled unless it says otherwise', () => {
    const rows = sourceRows([
      { key: 'a', version: 2, state: 'consuming', definition: stored, updatedAt: 't1' },
      { key: 'b', version: 1, state: 'disabled', definition: { broker: 'nats', stream: 'S', subject: 'x.>', enabled: false }, updatedAt: 't2' },
    ]);
    expect(rows).toEqual([
      ['a', 'rabbitmq', 'queue shop.order-paid', true, 'consuming', 2, 't1'],
      ['b', 'nats', 'stream S subject x.>', false, 'disabled', 1, 't2'],
    ]);
  });

  it('takes one source or a list from a file, with the prefix its problems are reported under', () => {
    expect(sourceItems(rabbit)).toEqual([{ definition: rabbit, prefix: '' }]);
    expect(sourceItems([rabbit, { key: 'b' }])).toEqual([
      { definition: rabbit, prefix: '[0]' },
      { definition: { key: 'b' }, prefix: '[1]' },
    ]);
    expect(sourceKey(rabbit)).toBe('shop-orders');
    for (const keyless of [{}, { key: '' }, { key: 7 }, 'text', null]) expect(sourceKey(keyless)).toBeUndefined();
  });

  it('finds no change when only defaults, key order or formatting differ, and the changed paths otherwise', () => {
    const reordered = { mapping: { id: 'orderNo', userId: 'buyer.uid', type: { const: 'order.completed' } }, queue: 'shop.order-paid', broker: 'rabbitmq', key: 'shop-orders', prefetch: 200 };
    expect(sourceChanges(stored, reordered)).toEqual([]);
    expect(sourceChanges(stored, { ...rabbit, prefetch: 50, enabled: false })).toEqual([
      { kind: 'changed', path: 'enabled', before: true, after: false },
      { kind: 'changed', path: 'prefetch', before: 200, after: 50 },
    ]);
    // Not a valid definition here: null, so the server is asked and names the problem.
    expect(sourceChanges(stored, { ...rabbit, prefetch: 0 })).toBeNull();
    expect(sourceChanges(stored, { ...rabbit, broker: 'kafka' })).toBeNull();
  });
});
