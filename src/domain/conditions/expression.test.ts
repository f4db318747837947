import { ctx, event, holds, value, NOW } from './test-support';

describe('expression notation: comparisons', () => {
  it.each([
    ['event.price == 20', { price: 20 }, true],
    ['event.price == 20', { price: 21 }, false],
    ['event.price != 20', { price: 21 }, true],
    ['event.price != 20', { price: 20 }, false],
    ['event.price > 20', { price: 21 }, true],
    ['event.price > 20', { price: 20 }, false],
    ['event.price >= 20', { price: 20 }, true],
    ['event.price < 20', { price: 19.5 }, true],
    ['event.price <= 20', { price: 20 }, true],
    ['event.price <= 20', { price: 20.01 }, false],
    ["event.name == 'bob'", { name: 'bob' }, true],
    ['event.name == "bob"', { name: 'bob' }, true],
    ["event.name > 'alice'", { name: 'bob' }, true],
    ['event.vip == true', { vip: true }, true],
    ['event.vip == false', { vip: true }, false],
  ])('%s with %j is %s', (src, props, expected) => {
    expect(holds(src, props)).toBe(expected);
  });

  it('is strict: no coercion between numbers, strings and booleans', () => {
    expect(holds('event.price == 20', { price: '20' })).toBe(false);
    expect(holds("event.code == '1'", { code: 1 })).toBe(false);
    expect(holds('event.flag == true', { flag: 1 })).toBe(false);
    expect(holds('event.price > 5', { price: '10' })).toBe(false);
  });

  it('compares lists deeply for equality', () => {
    expect(holds('event.tags == [1, 2]', { tags: [1, 2] })).toBe(true);
    expect(holds('event.tags == [1, 2]', { tags: [2, 1] })).toBe(false);
  });

  it('in / not in test membership in a list literal', () => {
    expect(holds('event.cityId in [2, 3]', { cityId: 3 })).toBe(true);
    expect(holds('event.cityId in [2, 3]', { cityId: 4 })).toBe(false);
    expect(holds('event.cityId not in [2, 3]', { cityId: 4 })).toBe(true);
    expect(holds('event.cityId not in [2, 3]', { cityId: 2 })).toBe(false);
    expect(holds('event.cityId nin [2, 3]', { cityId: 4 })).toBe(true);
    expect(holds("event.tier in ['gold', 'silver']", { tier: 'gold' })).toBe(true);
  });

  it('in also accepts a list-valued fact on the right', () => {
    expect(holds("'vip' in user.tags", {}, { user: { tags: ['vip'] } })).toBe(true);
    expect(holds("'vip' in user.tags", {}, { user: { tags: 'vip' } })).toBe(false);
  });

  it('contains works on strings and arrays', () => {
    expect(holds("event.title contains 'sale'", { title: 'big sale now' })).toBe(true);
    expect(holds("event.title contains 'sale'", { title: 'nothing' })).toBe(false);
    expect(holds("event.tags contains 'a'", { tags: ['a', 'b'] })).toBe(true);
    expect(holds('event.productIds contains 7', { productIds: [1, 7] })).toBe(true);
    expect(holds('event.productIds contains 7', { productIds: [1, 8] })).toBe(false);
    expect(holds("event.n contains '1'", { n: 12 })).toBe(false);
  });

  it('startsWith works on strings only', () => {
    expect(holds("event.sku startsWith 'VIP-'", { sku: 'VIP-1' })).toBe(true);
    expect(holds("event.sku startsWith 'VIP-'", { sku: 'X-VIP-1' })).toBe(false);
    expect(holds("event.sku startsWith 'VIP-'", { sku: ['VIP-1'] })).toBe(false);
  });

  it('word operators work in expressions too', () => {
    expect(holds('event.price gte 20 and event.price lt 30', { price: 25 })).toBe(true);
    expect(holds('event.price eq 20', { price: 20 })).toBe(true);
    expect(holds('event.price ne 20', { price: 20 })).toBe(false);
    expect(holds('event.price gt 20', { price: 21 })).toBe(true);
    expect(holds('event.price lte 20', { price: 21 })).toBe(false);
  });
});

describe('expression notation: logic', () => {
  const seed = 'event.productId == 1 && (event.cityId == 2 || event.cityId == 3) && event.price >= 20';
  it.each([
    [{ productId: 1, cityId: 2, price: 20 }, true],
    [{ productId: 1, cityId: 3, price: 25 }, true],
    [{ productId: 1, cityId: 4, price: 25 }, false],
    [{ productId: 2, cityId: 2, price: 25 }, false],
    [{ productId: 1, cityId: 2, price: 19 }, false],
  ])('the CAMPAIGNS.md example with %j is %s', (props, expected) => {
    expect(holds(seed, props)).toBe(expected);
  });

  it('&& binds tighter than ||', () => {
    expect(holds('event.a == 1 || event.b == 1 && event.c == 1', { a: 1, b: 0, c: 0 })).toBe(true);
    expect(holds('(event.a == 1 || event.b == 1) && event.c == 1', { a: 1, b: 0, c: 0 })).toBe(false);
  });

  it('! and not negate; and/or are words for && and ||', () => {
    expect(holds('!(event.a == 1)', { a: 2 })).toBe(true);
    expect(holds('not event.a == 1', { a: 2 })).toBe(true);
    expect(holds('!event.a == 1', { a: 1 })).toBe(false);
    expect(holds('event.a == 1 and event.b == 2 or event.c == 3', { c: 3 })).toBe(true);
    expect(holds('!!(event.a == 1)', { a: 1 })).toBe(true);
  });

  it('a bare fact is a condition meaning "== true"', () => {
    expect(holds('user.vip', {}, { user: { vip: true } })).toBe(true);
    expect(holds('user.vip', {}, { user: { vip: 'yes' } })).toBe(false);
    expect(holds('!user.vip', {}, { user: {} })).toBe(true);
  });

  it('true and false are conditions', () => {
    expect(holds('true')).toBe(true);
    expect(holds('false')).toBe(false);
    expect(holds(true)).toBe(true);
    expect(holds(false)).toBe(false);
  });
});

describe('facts', () => {
  it('reads event.type, event.id, event.occurredAt from the event itself', () => {
    const c = ctx({ event: event({ type: 'shadowed' }, { id: 'ord-1', type: 'order.completed' }) });
    expect(holds("event.type == 'order.completed'", {}, { event: c.event })).toBe(true);
    expect(holds("event.id == 'ord-1'", {}, { event: c.event })).toBe(true);
    expect(holds("event.occurredAt == '2026-11-21T09:00:00Z'", {}, { event: c.event })).toBe(true);
  });

  it('reads nested event properties and user attributes', () => {
    expect(holds("event.address.city == 'Paris'", { address: { city: 'Paris' } })).toBe(true);
    expect(holds('user.profile.level >= 2', {}, { user: { profile: { level: 3 } } })).toBe(true);
  });

  it('a bare name is an event property (seed articles write `productId eq 1`)', () => {
    expect(holds('productId eq 1', { productId: 1 })).toBe(true);
    expect(value('price').evaluate(ctx({ event: event({ price: 3 }) }))).toBe(3);
  });

  it('reads journey facts', () => {
    expect(holds('journey.entries == 1')).toBe(true);
    expect(holds("journey.enteredAt == '2026-11-20T00:00:00Z'")).toBe(true);
    expect(holds('journey.stateEnteredAt < now()')).toBe(true);
  });

  it('does not read through the prototype chain', () => {
    expect(holds('exists(event.constructor)', {})).toBe(false);
    expect(holds('exists(user.toString)', {})).toBe(false);
    expect(holds('exists(event.a.length)', { a: 'abc' })).toBe(false);
  });

  it('is null without an event (cron entry)', () => {
    expect(holds('exists(event.type)', {}, { event: null })).toBe(false);
    expect(holds('exists(event.x)', {}, { event: null })).toBe(false);
  });
});

describe('null: a missing fact', () => {
  it.each([
    'event.missing == 1',
    'event.missing != 1',
    'event.missing > 1',
    'event.missing <= 1',
    'event.missing in [1]',
    'event.missing not in [1]',
    "event.missing contains 'a'",
    "event.missing startsWith 'a'",
    'event.missing + 1 >= 0',
    'event.a == event.b',
    'exists(event.missing)',
  ])('%s is false', (src) => {
    expect(holds(src, {})).toBe(false);
  });

  it('== null and != null test null-ness', () => {
    expect(holds('event.missing == null', {})).toBe(true);
    expect(holds('null == event.missing', {})).toBe(true);
    expect(holds('event.x != null', { x: 0 })).toBe(true);
    expect(holds('event.x == null', { x: 0 })).toBe(false);
    expect(holds('exists(event.x)', { x: false })).toBe(true);
  });

  it('a property explicitly null is missing', () => {
    expect(holds('exists(event.x)', { x: null })).toBe(false);
  });
});

describe('arithmetic', () => {
  it.each([
    ['event.a + event.b == 5', { a: 2, b: 3 }, true],
    ['event.a - event.b == -1', { a: 2, b: 3 }, true],
    ['event.a * 2 + 1 == 7', { a: 3 }, true],
    ['1 + event.a * 2 == 7', { a: 3 }, true],
    ['(1 + event.a) * 2 == 8', { a: 3 }, true],
    ['event.a / 4 == 0.5', { a: 2 }, true],
    ['10 - 4 - 3 == 3', {}, true],
    ['-event.a == -2', { a: 2 }, true],
  ])('%s with %j is %s', (src, props, expected) => {
    expect(holds(src, props)).toBe(expected);
  });

  it('gives null for non-numbers, missing facts and division by zero', () => {
    expect(value('event.a + 1').evaluate(ctx({ event: event({ a: '1' }) }))).toBeNull();
    expect(value('event.missing * 2').evaluate(ctx())).toBeNull();
    expect(value('event.a / 0').evaluate(ctx({ event: event({ a: 1 }) }))).toBeNull();
  });

  it('supports decimals and exponents', () => {
    expect(value('1.5e2 + 0.25').evaluate(ctx())).toBe(150.25);
  });
});

describe('time functions', () => {
  it('now() is the context time, never the clock', () => {
    expect(value('now()').evaluate(ctx())).toBe(NOW);
    expect(value('now()').evaluate(ctx({ now: 5 }))).toBe(5);
  });

  it('compares ISO strings with now() as instants', () => {
    expect(holds("'2026-11-21T09:59:59Z' < now()")).toBe(true);
    expect(holds("'2026-11-21T10:00:01Z' < now()")).toBe(false);
    expect(holds('event.occurredAt <= now()', {})).toBe(true);
    expect(holds("'2026-11-21T18:00:00+08:00' == now()")).toBe(true);
  });

  it('compares two ISO strings as instants, not as text', () => {
    expect(holds("event.at > '2026-11-21T09:00:00Z'", { at: '2026-11-21T18:30:00+08:00' })).toBe(true);
    expect(holds("event.at == '2026-11-21T10:00:00.000Z'", { at: '2026-11-21T10:00:00Z' })).toBe(true);
  });

  it('reads a date or time without offset in the campaign timezone', () => {
    // Midnight in Shanghai is 16:00Z the day before.
    expect(holds("now() >= '2026-11-22'", {}, { now: Date.UTC(2026, 10, 21, 16, 0), timezone: 'Asia/Shanghai' })).toBe(true);
    expect(holds("now() >= '2026-11-22'", {}, { now: Date.UTC(2026, 10, 21, 16, 0) })).toBe(false);
  });

  it('daysSince counts calendar days in the timezone', () => {
    expect(value("daysSince('2026-11-18T12:00:00Z')").evaluate(ctx())).toBe(3);
    expect(value("daysSince('2026-11-21')").evaluate(ctx())).toBe(0);
    expect(value('daysSince(event.d)').evaluate(ctx({ event: event({ d: NOW - 86_400_000 }) }))).toBe(1);
    expect(value("daysSince('2026-11-25')").evaluate(ctx())).toBe(-4);
    // 23:30Z on the 20th is already the 21st in Shanghai: zero days there, one in UTC.
    expect(value("daysSince('2026-11-20T23:30:00Z')").evaluate(ctx({ timezone: 'Asia/Shanghai' }))).toBe(0);
    expect(value("daysSince('2026-11-20T23:30:00Z')").evaluate(ctx())).toBe(1);
    expect(value('daysSince(event.d)').evaluate(ctx({ event: event({ d: 'soon' }) }))).toBeNull();
  });

  it('monthDay gives MM-DD in the timezone; a birthday is a calendar date', () => {
    expect(value('monthDay(now())').evaluate(ctx())).toBe('11-21');
    expect(value('monthDay(now())').evaluate(ctx({ now: Date.UTC(2026, 10, 21, 20), timezone: 'Asia/Shanghai' }))).toBe('11-22');
    expect(value('monthDay(user.birthday)').evaluate(ctx({ user: { birthday: '1990-05-17' }, timezone: 'America/New_York' }))).toBe('05-17');
    expect(value('monthDay(user.birthday)').evaluate(ctx({ user: { birthday: '--05-17' } }))).toBe('05-17');
    expect(holds('monthDay(user.birthday) == monthDay(now())', {}, { user: { birthday: '1990-11-21' } })).toBe(true);
    expect(holds('monthDay(user.birthday) == monthDay(now())', {}, { user: { birthday: '1990-11-22' } })).toBe(false);
  });

  it('an unknown timezone falls back to UTC instead of throwing', () => {
    expect(value('monthDay(now())').evaluate(ctx({ timezone: 'Mars/Olympus' }))).toBe('11-21');
  });

  it('rejects impossible dates as non-dates', () => {
    expect(value("daysSince(event.d)").evaluate(ctx({ event: event({ d: '2026-02-30' }) }))).toBeNull();
  });
});
