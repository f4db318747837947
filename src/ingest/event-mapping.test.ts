import fc from 'fast-check';
import { EventMapping, mapMessage, parseMessageBody } from './event-mapping';
import { JsonPath, pathKeys, readPath } from './json-path';
import { SourceDefinition } from './source-definition';

const orderPaid = EventMapping.parse({
  id: { path: 'orderNo', prefix: 'order.paid:' },
  type: { const: 'order.completed' },
  userId: 'buyer.uid',
  occurredAt: 'paidAt',
  properties: { amount: 'amount', orderNo: 'orderNo', channel: { const: 'shop' }, firstSku: 'items[0].sku', coupon: { path: 'coupon', default: 'none' } },
});

describe('mapMessage', () => {
  it('maps a business topic with paths, constants and renames, without code', () => {
    const message = { orderNo: 7781, buyer: { uid: 'u-42' }, amount: 25.5, paidAt: '2026-11-21T10:00:00Z', items: [{ sku: 'A-1' }] };
    expect(mapMessage(orderPaid, message)).toEqual({
      ok: true,
      value: {
        id: 'order.paid:7781',
        type: 'order.completed',
        userId: 'u-42',
        occurredAt: '2026-11-21T10:00:00Z',
        properties: { amount: 25.5, orderNo: 7781, channel: 'shop', firstSku: 'A-1', coupon: 'none' },
      },
    });
  });

  it('turns numeric user ids into strings and leaves occurredAt out when the message has none', () => {
    const result = mapMessage(orderPaid, { orderNo: 1, buyer: { uid: 42 }, amount: 1 });
    expect(result).toMatchObject({ ok: true, value: { id: 'order.paid:1', userId: '42' } });
    expect(result.ok && result.value.occurredAt).toBeUndefined();
  });

  it('copies a whole object into properties, named ones on top', () => {
    const m = EventMapping.parse({ id: 'id', type: 'kind', userId: 'user', copyProperties: '$.data', properties: { kind: 'kind' } });
    expect(mapMessage(m, { id: 'e1', kind: 'sign.in', user: 'u1', data: { a: 1, b: { c: 2 } } })).toEqual({
      ok: true,
      value: { id: 'e1', type: 'sign.in', userId: 'u1', properties: { a: 1, b: { c: 2 }, kind: 'sign.in' } },
    });
  });

  it('reports every missing field with the path it read', () => {
    expect(mapMessage(orderPaid, { amount: 3 })).toEqual({
      ok: false,
      issues: [
        { path: 'id', message: 'nothing at orderNo in the message' },
        { path: 'userId', message: 'nothing at buyer.uid in the message' },
      ],
    });
  });

  it('reports what POST /v1/events would refuse, at the field', () => {
    const result = mapMessage(orderPaid, { orderNo: 2, buyer: { uid: { nested: true } }, paidAt: 'yesterday' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual(['occurredAt', 'userId']);
  });

  it('refuses a user id no URL path can name (".", ".."), as POST /v1/events does', () => {
    const result = mapMessage(orderPaid, { orderNo: 2, buyer: { uid: '..' }, paidAt: '2026-11-30T10:00:00Z' });
    expect(!result.ok && result.issues).toEqual([{ path: 'userId', message: expect.stringMatching(/URL paths drop/) }]);
    expect(mapMessage(orderPaid, { orderNo: 2, buyer: { uid: '...' }, paidAt: '2026-11-30T10:00:00Z' }).ok).toBe(true);
  });

  it('refuses a message that is not JSON, and parses one that is', () => {
    expect(parseMessageBody(new TextEncoder().encode('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseMessageBody(new TextEncoder().encode('not json')).ok).toBe(false);
  });

  it('refuses a message nested deeper than an HTTP body may be, at the path where it goes too deep', () => {
    const nested = (levels: number) => `{"order":${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}}`;
    expect(parseMessageBody(new TextEncoder().encode(nested(128))).ok).toBe(true);
    expect(parseMessageBody(new TextEncoder().encode(nested(129)))).toEqual({
      ok: false,
      issues: [{ path: `order${'[0]'.repeat(127)}`, message: 'the message nests deeper than 128 levels of arrays and objects' }],
    });
  });

  it('never throws, whatever the message', () => {
    fc.assert(fc.property(fc.jsonValue(), (message) => typeof mapMessage(orderPaid, message).ok === 'boolean'));
  });
});

describe('paths', () => {
  it('reads keys, indices and the whole message', () => {
    expect(pathKeys('$.a.b[2].c')).toEqual(['a', 'b', 2, 'c']);
    expect(readPath({ a: [{ b: 1 }] }, 'a[0].b')).toBe(1);
    expect(readPath({ a: 1 }, '$')).toEqual({ a: 1 });
    expect(readPath({ a: null }, 'a.b')).toBeUndefined();
    // Inherited members are not message fields.
    expect(readPath({}, 'constructor')).toBeUndefined();
  });

  it('refuses what is no path: an empty or unterminated rest after $ (it read the whole message, or a key abc for $[abc: mq probe)', () => {
    for (const good of ['$', '$.a.b', '$[0].a', '$.[0]', 'a', 'items[0].sku', '[1][2]']) expect({ good, ok: JsonPath.safeParse(good).success }).toEqual({ good, ok: true });
    for (const bad of ['$.', '$[', '$[abc', '$abc', 'a..b', '$[0', 'a.', '.a', '$$']) expect({ bad, ok: JsonPath.safeParse(bad).success }).toEqual({ bad, ok: false });
  });
});

describe('SourceDefinition', () => {
  const base = { key: 'shop-orders', mapping: { id: 'orderNo', type: { const: 'order.paid' }, userId: 'buyer.uid' } };

  it('takes a RabbitMQ queue and a NATS stream with defaults for the flow', () => {
    expect(SourceDefinition.parse({ ...base, broker: 'rabbitmq', queue: 'shop.orders' })).toMatchObject({ enabled: true, concurrency: 4, prefetch: 200, maxBatch: 100 });
    expect(SourceDefinition.parse({ ...base, broker: 'nats', stream: 'ORDERS', subject: 'orders.>' })).toMatchObject({ subject: 'orders.>' });
  });

  it('refuses a routing key PostgreSQL cannot store or AMQP cannot send, at its path', () => {
    const rabbit = (routingKey: string) => SourceDefinition.safeParse({ ...base, broker: 'rabbitmq', queue: 'shop.orders', bind: { exchange: 'shop', routingKey } });
    for (const bad of ['a\u0000b', 'a\ud800', 'é'.repeat(128)]) {
      const result = rabbit(bad);
      expect({ bad: bad.length, paths: result.error?.issues.map((i) => i.path.join('.')) }).toEqual({ bad: bad.length, paths: ['bind.routingKey'] });
    }
    expect(rabbit('é'.repeat(127)).success).toBe(true);
    expect(rabbit('orders.*.paid').success).toBe(true);
  });

  it('reports problems at their paths', () => {
    const result = SourceDefinition.safeParse({ ...base, broker: 'nats', stream: 'ORDERS', subject: 'orders..paid', mapping: { ...base.mapping, userId: 'a..b' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['mapping.userId', 'subject']);
  });
});

describe('numeric ids past 2^53', () => {
  it('refuses them, since JSON.parse has already changed their last digits, and takes safe ones as text', () => {
    const mapping = EventMapping.parse({ id: 'id', type: { const: 't' }, userId: 'uid' });
    const big = mapMessage(mapping, JSON.parse('{"id":1234567890123456789,"uid":7}'));
    expect(big.ok ? [] : big.issues).toEqual([{ path: 'id', message: expect.stringMatching(/^the number at id is past 2\^53.*send it as a string$/) }]);
    const safe = mapMessage(mapping, JSON.parse('{"id":9007199254740991,"uid":7}'));
    expect(safe.ok && [safe.value.id, safe.value.userId]).toEqual(['9007199254740991', '7']);
  });
});

describe('prefixed ids: what a prefix cannot make an id of', () => {
  it('refuses a number past 2^53, an object, a boolean and a fraction behind a prefix, instead of two messages getting one id', () => {
    const message = (orderNo: string) => JSON.parse(`{"orderNo":${orderNo},"buyer":{"uid":"u-1"},"amount":1}`) as unknown;
    for (const [orderNo, said] of [
      ['12345678901234567891', /^the number at orderNo is past 2\^53/],
      ['{"n":1}', /^the value at orderNo is an object; it must be text or a whole number$/],
      ['true', /is a boolean/],
      ['1.5', /is a number with a fraction/],
    ] as const) {
      const result = mapMessage(orderPaid, message(orderNo));
      expect({ orderNo, issues: result.ok ? [] : result.issues }).toEqual({ orderNo, issues: [{ path: 'id', message: expect.stringMatching(said) }] });
    }
    expect(mapMessage(orderPaid, message('"A-7"'))).toMatchObject({ ok: true, value: { id: 'order.paid:A-7' } });
    // Empty text would make every such message the one id "order.paid:", the next ones duplicates (mq probe).
    expect(mapMessage(orderPaid, message('""'))).toEqual({ ok: false, issues: [{ path: 'id', message: 'the value at orderNo is empty text' }] });
  });

  it('reports a prefixed property that cannot be text at its path', () => {
    const mapping = EventMapping.parse({ id: 'id', type: { const: 't' }, userId: 'uid', properties: { ref: { path: 'ref', prefix: 'r:' } } });
    const result = mapMessage(mapping, { id: 'm1', uid: 'u', ref: { x: 1 } });
    expect(result.ok ? [] : result.issues).toEqual([{ path: 'properties.ref', message: expect.stringMatching(/is an object/) }]);
  });
});

describe('parseMessageBody: keys HTTP refuses', () => {
  it('refuses "__proto__" and "constructor.prototype" keys, as POST /v1/events does, and takes a "prototype" elsewhere', () => {
    for (const text of ['{"data":{"__proto__":{"polluted":1},"x":1}}', '{"data":{"constructor":{"prototype":{"p":1}}}}']) {
      const parsed = parseMessageBody(new TextEncoder().encode(text));
      expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: '', message: expect.stringMatching(/"__proto__" or "constructor.prototype" key/) }]);
    }
    expect(parseMessageBody(new TextEncoder().encode('{"prototype":1,"constructor":"x"}'))).toEqual({ ok: true, value: { prototype: 1, constructor: 'x' } });
  });

  it('refuses them written with \\u escapes too, as POST /v1/events does (they were parsed, and the __proto__ one set the prototype of the properties)', () => {
    for (const text of [
      '{"data":{"\\u005f_proto__":{"vip":true}}}',
      '{"data":{"__pr\\u006Fto__":{"vip":true}}}',
      '{"c":{"constructor":{"\\u0070rototype":{}}}}',
      '{"c":{"\\u0063onstructor":{"prototype":{}}}}',
    ]) {
      const parsed = parseMessageBody(new TextEncoder().encode(text));
      expect({ text, issues: parsed.ok ? [] : parsed.issues }).toEqual({ text, issues: [{ path: '', message: expect.stringMatching(/"__proto__" or "constructor.prototype" key/) }] });
    }
    // Escaped, but not those keys: taken.
    expect(parseMessageBody(new TextEncoder().encode('{"\\u005f_proto":1,"c":{"constructor":{"\\u0070roto":1}}}'))).toEqual({ ok: true, value: { __proto: 1, c: { constructor: { proto: 1 } } } });
  });

  it('finds them in arrays and at any depth within the bound, and sets no prototype while looking', () => {
    const parsed = parseMessageBody(new TextEncoder().encode(`{"a":${'['.repeat(100)}{"b":{"__proto__":{"vip":true}}}${']'.repeat(100)}}`));
    expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: '', message: expect.stringMatching(/"__proto__" or "constructor.prototype" key/) }]);
    expect(({} as Record<string, unknown>).vip).toBeUndefined();
  });

  it('says a deep message holding such a key (or one that looks like it) nests too deep, not that it is not JSON (review-62-mq, finding 5)', () => {
    // The reviver it was parsed with recursed, and threw "Maximum call stack size exceeded" some thousands of levels down.
    for (const text of [
      `{"constructor":{},"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
      `{"__proto__x":1,"a":${'['.repeat(200_000)}${']'.repeat(200_000)},"constructor":{"prototype":1}}`,
    ]) {
      const parsed = parseMessageBody(new TextEncoder().encode(text));
      expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: `a${'[0]'.repeat(127)}`, message: 'the message nests deeper than 128 levels of arrays and objects' }]);
    }
  });

  it('refuses a key named twice in one object, at its path, as POST /v1/events does (it took the last: mq probe)', () => {
    const parsed = parseMessageBody(new TextEncoder().encode('{"orderNo":12,"buyer":{"uid":"a","uid":"b"},"orderNo":13}'));
    expect(parsed).toEqual({ ok: false, issues: [{ path: 'buyer.uid', message: 'the key "uid" appears twice in one object; JSON keeps only the last, so Kairos takes neither (as over HTTP)' }] });
    expect(parseMessageBody(new TextEncoder().encode('{"a":{"k":1},"b":{"k":2}}'))).toEqual({ ok: true, value: { a: { k: 1 }, b: { k: 2 } } });
  });
});

describe('parseMessageBody: whole numbers past 2^53, which POST /v1/events refuses', () => {
  const parse = (text: string) => parseMessageBody(new TextEncoder().encode(text));
  const words = (literal: string) => `${literal} is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "${literal}"`;

  it('refuses one at the top level at its path, in the words of the API, instead of storing it rounded', () => {
    expect(parse('{"orderNo":12345678901234567890,"buyer":{"uid":"a"}}')).toEqual({ ok: false, issues: [{ path: 'orderNo', message: words('12345678901234567890') }] });
    expect(parse('{"orderNo":9007199254740993}')).toEqual({ ok: false, issues: [{ path: 'orderNo', message: words('9007199254740993') }] });
  });

  it('refuses one nested in objects and lists at its path, negative ones too', () => {
    expect(parse('{"orderNo":1,"data":{"lines":[{"sku":"a","qty":2},{"sku":"b","accountNo":-9007199254740993}]}}')).toEqual({
      ok: false,
      issues: [{ path: 'data.lines[1].accountNo', message: words('-9007199254740993') }],
    });
  });

  it('takes what JSON keeps, as the API does: 2^53 itself, safe whole numbers, fractions, exponents, digits in text and the digits JSON writes for a double', () => {
    for (const text of [
      '{"n":9007199254740992,"m":-9007199254740992}',
      '{"n":9007199254740991,"m":-9007199254740991}',
      '{"d":1.5e20,"f":12345678901234567890.5,"e":1E21}',
      '{"s":"12345678901234567890","k12345678901234567890":1}',
      JSON.stringify({ answered: 12345678901234567000, big: 2 ** 60 }),
    ]) {
      expect({ text, parsed: parse(text) }).toEqual({ text, parsed: { ok: true, value: JSON.parse(text) as unknown } });
    }
  });

  it('names a key twice first, as the API does', () => {
    expect(parse('{"a":1,"a":12345678901234567890}')).toEqual({
      ok: false,
      issues: [{ path: 'a', message: 'the key "a" appears twice in one object; JSON keeps only the last, so Kairos takes neither (as over HTTP)' }],
    });
  });
});

describe('EventMapping: what it can never deliver', () => {
  const issuesOf = (raw: unknown) => {
    const parsed = EventMapping.safeParse(raw);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };
  it('refuses a default for the id, and a mapping larger than 64 KB', () => {
    const issues = issuesOf;
    expect(issues({ id: { path: 'orderNo', default: 'x' }, type: { const: 't' }, userId: 'u' }).map((i) => i.path)).toEqual(['id.default']);
    expect(issues({ id: 'id', type: { const: 't' }, userId: 'u', properties: { x: { const: 'a'.repeat(70_000) } } })).toEqual([{ path: '', message: expect.stringMatching(/^is \d+ bytes as JSON; a mapping takes at most 65536/) }]);
  });

  const issues = (raw: unknown) => {
    const parsed = EventMapping.safeParse(raw);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('names text PostgreSQL cannot store at its path (it was a database error with no path)', () => {
    expect(issues({ id: 'id', type: { const: 't' }, userId: { const: 'u\u0000' } })).toEqual([{ path: 'userId.const', message: expect.stringMatching(/NUL/) }]);
    expect(issues({ id: 'id', type: { const: 't' }, userId: 'u', properties: { 'k\ud800': 'k' } })).toEqual([{ path: 'properties.k\ud800', message: expect.stringMatching(/well-formed/) }]);
  });

  it('refuses a constant id, type or user that POST /v1/events would refuse for every message', () => {
    expect(issues({ id: 'id', type: { const: 'bad type' }, userId: 'u' }).map((i) => i.path)).toEqual(['type.const']);
    // A constant id, even a good one, would make every message after the first a duplicate of it, dropped.
    for (const id of ['', 'order-1']) expect(issues({ id: { const: id }, type: { const: 'ok.type' }, userId: 'u' })).toEqual([{ path: 'id.const', message: expect.stringMatching(/^an id cannot be a constant/) }]);
    expect(issues({ id: 'id', type: { const: 'order.paid' }, userId: { const: 'system' } })).toEqual([]);
  });

  it('refuses a default of the type, user, time or a prefixed property that would dead-letter every message without the value, at its path', () => {
    const found = issues({
      id: 'o',
      type: { path: 'k', default: 'Order Paid' },
      userId: { path: 'u', default: { id: 1 } },
      occurredAt: { path: 'paidAt', default: 'yesterday' },
      properties: { ref: { path: 'ref', prefix: 'r:', default: 1.5 }, note: { path: 'note', default: { any: 'thing' } } },
    });
    expect(found.map((i) => i.path).sort()).toEqual(['occurredAt.default', 'properties.ref.default', 'type.default', 'userId.default']);
    expect(found.find((i) => i.path === 'userId.default')?.message).toBe('the value at u (its default) is an object; it must be text or a whole number');
    // A user id no URL path can name: refused as a constant is.
    expect(issues({ id: 'o', type: { const: 't' }, userId: { path: 'u', default: '..' } }).map((i) => i.path)).toEqual(['userId.default']);
    // Defaults that make good events: taken, and used.
    const good = EventMapping.parse({ id: 'o', type: { path: 'k', prefix: 'shop.', default: 'paid' }, userId: { path: 'u', default: 42 }, occurredAt: { path: 'at', default: '2026-01-01T00:00:00Z' } });
    expect(mapMessage(good, { o: 'o1' })).toEqual({ ok: true, value: { id: 'o1', type: 'shop.paid', userId: '42', occurredAt: '2026-01-01T00:00:00Z', properties: {} } });
    // A null default is none (null counts as missing): nothing to check.
    expect(issues({ id: 'o', type: { path: 'k', default: null }, userId: 'u' })).toEqual([]);
  });
});

describe('parseMessageBody: bytes that are not UTF-8', () => {
  it('refuses them instead of replacing them (two ids would become one)', () => {
    const body = Uint8Array.from([...new TextEncoder().encode('{"id":"m7'), 0xff, ...new TextEncoder().encode('"}')]);
    const parsed = parseMessageBody(body);
    expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: '', message: 'the message is not UTF-8 text (JSON must be)' }]);
    expect(parseMessageBody(new TextEncoder().encode('{"id":"josé"}'))).toEqual({ ok: true, value: { id: 'josé' } });
  });
});
