/**
 * Checks the compiler makes when a campaign is admitted (saved or
 * activated), and only then: a stored version compiles as it was accepted,
 * since its running journeys (and the worker) recompile it.
 */
import { HELD_BYTES } from '../../workflows/journey/held-actions';
import { EventType } from '../event';
import { EVENT_TYPE_PATTERN, MAX_EVENT_TYPE_LENGTH } from '../conditions/lexer';
import { campaignWith } from '../testing/campaigns';
import { compileCampaign } from './index';
import { HELD_STEPS_BYTES } from './steps';
import type { DomainIssue } from '../issues';

const admitted = (def: unknown): DomainIssue[] => {
  const result = compileCampaign(def, { admitting: true });
  return result.ok ? [] : result.issues;
};

const stored = (def: unknown) => compileCampaign(def);

/** A state `a` with one step, then `done`. */
const withStep = (step: unknown) => campaignWith({ start: { transitions: [{ to: 'a' }] }, a: { actions: { steps: [step] }, transitions: [{ to: 'done' }] }, done: { end: true } }, { initial: 'start' });

/** `start` leaves for `done` by `transition`, or by an `after` when `alsoAfter`. */
const withTransition = (transition: unknown, alsoAfter = false) =>
  campaignWith({ start: { transitions: alsoAfter ? [transition, { to: 'done', after: 'P1D' }] : [transition] }, done: { end: true } });

describe('message data that parses but does not compile (finding 1)', () => {
  const data = {
    full: "user.firstName + ' ' + user.lastName",
    greet: "'Hi ' + user.firstName",
    total: "event.amount * '2'",
    fn: 'concat(user.a, user.b)',
    agg: "sum('x', 1)",
  };
  const message = (d: Record<string, unknown>) => withStep({ type: 'message', channel: 'push', template: 't', data: d });

  it('is refused at its path and position, not sent as its source text', () => {
    const issues = admitted(message(data));
    const at = (name: string) => `states.a.actions.steps[0].data.${name}`;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: at('full'), message: expect.stringMatching(/needs numbers, found a string/), position: 17 },
        { path: at('greet'), message: expect.stringMatching(/needs numbers/), position: 0 },
        { path: at('total'), message: expect.stringMatching(/needs numbers/), position: 15 },
        { path: at('fn'), message: expect.stringMatching(/^unknown function 'concat'/), position: 0 },
        expect.objectContaining({ path: at('agg') }),
      ]),
    );
    expect(new Set(issues.map((i) => i.path))).toEqual(new Set(Object.keys(data).map(at)));
  });

  it('keeps text that does not parse as written, and compiles a stored version as it was accepted', () => {
    const ok = compileCampaign(message({ t: 'Welcome back!', u: 'https://example.com/x', n: 'user.firstName' }), { admitting: true });
    expect(ok.ok && ok.value.states.a.actions?.steps[0]).toMatchObject({
      action: { data: { t: { literal: 'Welcome back!' }, u: { literal: 'https://example.com/x' }, n: { expression: expect.anything() } } },
    });
    const old = stored(message(data));
    expect(old.ok && old.value.states.a.actions?.steps[0]).toMatchObject({ action: { data: { full: { literal: data.full }, fn: { literal: data.fn } } } });
  });
});

describe('message data that only looks like a fact (review 54, finding 2)', () => {
  const message = (d: Record<string, unknown>) => withStep({ type: 'message', channel: 'push', template: 't', data: d });
  /** The compiled action of the one step, or the issues. */
  const dataOf = (def: unknown): unknown => {
    const result = compileCampaign(def, { admitting: true });
    const step = result.ok ? result.value.states.a.actions?.steps[0] : undefined;
    return result.ok ? step && 'action' in step && step.action : result.issues;
  };

  it('sends a dotted name with no fact root, or a root word alone, as written', () => {
    const data = { image: 'promo.png', screen: 'settings.notifications', kind: 'order.completed', site: 'a.b', audience: 'user', source: 'event', via: 'journey', paren: '(shop.example.com)' };
    expect(admitted(message(data))).toEqual([]);
    expect(dataOf(message(data))).toMatchObject({ data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { literal: v }])) });
    // A name that reads a fact still does; a lone word is `event.<word>`, as before.
    expect(dataOf(message({ n: 'user.firstName', w: 'Welcome' }))).toMatchObject({ data: { n: { expression: expect.anything() }, w: { expression: expect.anything() } } });
  });

  it('refuses the rest, each issue saying how to send the text as written', () => {
    const data = {
      full: "user.firstName + ' ' + user.lastName",
      fn: 'concat(user.a, user.b)',
      agg: "sum('x', 1)",
      journeyFact: 'journey.foo',
      rootThenText: 'promo.png + 1',
      quotes: "'it\\'s ' + user.a",
      big: '12345678901234567',
    };
    const issues = admitted(message(data));
    expect(new Set(issues.map((i) => i.path))).toEqual(new Set(Object.keys(data).map((k) => `states.a.actions.steps[0].data.${k}`)));
    for (const issue of issues) expect(issue.message).toMatch(/; to send this text as written, quote it: "'.*'"$/);
    const at = (k: string) => issues.find((i) => i.path.endsWith(`.${k}`))!.message;
    expect(at('full')).toMatch(/^.*needs numbers.*quote it: "'user\.firstName \+ \\\\' \\\\' \+ user\.lastName'"$/);
    expect(at('journeyFact')).toMatch(/^unknown journey fact 'journey\.foo'.*quote it: "'journey\.foo'"$/);
    expect(at('rootThenText')).toMatch(/^unknown fact root 'promo'.*quote it: "'promo\.png \+ 1'"$/);
    expect(at('big')).toBe(`12345678901234567 is a whole number past 2^53, which a JSON number does not keep exactly (it would be sent as 12345678901234568); to send this text as written, quote it: "'12345678901234567'"`);
    expect(issues.map((i) => i.message).join('\n')).not.toMatch(/compare with/);
  });

  it('the quoted text it suggests is sent as that text', () => {
    const quoted = (source: string) => JSON.parse(/quote it: (".*")$/.exec(admitted(message({ v: source }))[0].message)![1]) as string;
    for (const source of ["user.firstName + ' ' + user.lastName", "'it\\'s ' + user.a", "'a\\\\b \"c\"' + user.a"]) {
      const action = dataOf(message({ v: quoted(source) })) as { data: { v: { expression: { evaluate: (facts: unknown) => unknown } } } };
      expect(action).toMatchObject({ data: { v: { expression: expect.anything() } } });
      expect(action.data.v.expression.evaluate({})).toBe(source);
    }
  });

  it('compiles a stored version as before', () => {
    const old = stored(message({ image: 'promo.png', full: "user.firstName + ' ' + user.lastName" }));
    expect(old.ok && old.value.states.a.actions?.steps[0]).toMatchObject({ action: { data: { image: { literal: 'promo.png' }, full: { literal: "user.firstName + ' ' + user.lastName" } } } });
  });
});

describe('literal message data and webhook bodies too heavy to run or hold (finding 2)', () => {
  const html = '<p>Hello there, friend!</p>'.repeat(11000);

  it('refuses literal message data over LIMITS.messageDataBytes at its data, naming the heaviest key', () => {
    const def = withStep({ type: 'message', channel: 'email', template: 't', data: { html, name: 'user.firstName' } });
    expect(admitted(def)).toEqual([{ path: 'states.a.actions.steps[0].data', message: expect.stringMatching(/^the data's literal values weigh 291 KiB as JSON \(the heaviest, "html", 291 KiB\); a message carries at most 256 KiB/) }]);
    expect(stored(def).ok).toBe(true);
    // Within the limit, and keys that only add up past it are weighed together.
    expect(admitted(withStep({ type: 'message', channel: 'email', template: 't', data: { html: '<b>'.repeat(70_000) } }))).toEqual([]);
    expect(admitted(withStep({ type: 'message', channel: 'email', template: 't', data: { a: '<b>'.repeat(50_000), b: '<i>'.repeat(50_000) } })).map((i) => i.path)).toEqual(['states.a.actions.steps[0].data']);
  });

  it('refuses a webhook body that could never be held, at its body', () => {
    const def = withStep({ type: 'webhook', url: 'https://hooks.example.com/x', body: { html } });
    expect(admitted(def)).toEqual([{ path: 'states.a.actions.steps[0].body', message: expect.stringMatching(/^the body weighs 291 KiB as JSON; a webhook that fails for good is held with its body, and held steps carry at most 256 KiB/) }]);
    expect(stored(def).ok).toBe(true);
    expect(admitted(withStep({ type: 'webhook', url: 'https://hooks.example.com/x', body: { html: 'x'.repeat(250_000) } }))).toEqual([]);
  });

  it("weighs against the workflow's own limit", () => {
    expect(HELD_STEPS_BYTES).toBe(HELD_BYTES);
  });
});

describe('literal problems in every notation, at the leaf (finding 3)', () => {
  it('reports a JSON tree leaf at its value, and a 2-D array leaf at its cell with the position', () => {
    const tree = { all: ['event.a == 1', { any: ['event.b == 2', { fact: 'event.amount', op: 'gt', value: '20' }] }] };
    expect(admitted(withTransition({ to: 'done', when: tree }, true))).toEqual([
      { path: 'states.start.transitions[0].when.all[1].any[1].value', message: expect.stringMatching(/^type mismatch: '20' is text/) },
    ]);
    const grid = [['event.a eq 1'], ['event.b eq 2', 'event.amount gt "20"']];
    expect(admitted(withTransition({ to: 'done', when: grid }, true))).toEqual([
      { path: 'states.start.transitions[0].when[1][1]', message: expect.stringMatching(/^type mismatch: '20' is text/), position: 16 },
    ]);
    const nul = [['event.a eq 1'], ['event.b eq 2', 'event.name eq "a\\u0000b"']];
    expect(admitted(withTransition({ to: 'done', when: nul }, true))).toEqual([
      { path: 'states.start.transitions[0].when[1][1]', message: expect.stringMatching(/NUL/), position: 14 },
    ]);
    for (const when of [tree, grid, nul]) expect(stored(withTransition({ to: 'done', when }, true)).ok).toBe(true);
  });

  it('gives a word operator the position a symbol gets', () => {
    expect(admitted(withTransition({ to: 'done', on: 'x', if: 'event.amount gt "20"' }))).toEqual([
      { path: 'states.start.transitions[0].if', message: expect.stringMatching(/^type mismatch: '20' is text/), position: 16 },
    ]);
  });

  it('reports a number written as text in a JSON tree leaf with a symbol operator too, and leaves other operators alone', () => {
    expect(admitted(withTransition({ to: 'done', on: 'x', if: { any: [{ fact: 'event.amount', op: '<=', value: '3.5' }] } })).map((i) => i.path)).toEqual(['states.start.transitions[0].if.any[0].value']);
    expect(admitted(withTransition({ to: 'done', on: 'x', if: { fact: 'event.tier', op: 'eq', value: '20' } }))).toEqual([]);
  });
});

describe('a state whose transitions never fire (finding 4)', () => {
  it.each([
    ['when: false', { to: 'done', when: false }],
    ['when: "1 == 2"', { to: 'done', when: '1 == 2' }],
    ['on … if: false', { to: 'done', on: 'x.y', if: false }],
    ['a branch whose if never holds', { to: 'done', if: '!true' }],
  ])('has no way out: %s', (_, transition) => {
    const def = withTransition(transition);
    expect(admitted(def)).toEqual([{ path: 'states.start', message: '"start" has no way out: its transitions\' conditions never hold (add one that can fire, or mark it "end": true)' }]);
    // A stored version compiles as it was accepted (a lone conditional branch was refused before too: "only has conditional branches").
    if (!('if' in transition && !('on' in transition))) expect(stored(def).ok).toBe(true);
  });

  it('still takes one switched off beside a way out', () => {
    expect(admitted(withTransition({ to: 'done', when: false }, true))).toEqual([]);
    expect(admitted(withTransition({ to: 'done', on: 'x.y', if: 'event.a == 1' }))).toEqual([]);
  });
});

describe('whole numbers past 2^53 in an expression (finding 5)', () => {
  it('are refused at their position', () => {
    const def = withTransition({ to: 'done', on: 'x', if: 'event.orderId == 9007199254740993' });
    expect(admitted(def)).toEqual([
      { path: 'states.start.transitions[0].if', message: expect.stringMatching(/^9007199254740993 is a whole number past 2\^53.*compare with '9007199254740993'$/), position: 17 },
    ]);
    expect(stored(def).ok).toBe(true);
    expect(admitted(withTransition({ to: 'done', on: 'x', if: [['event.orderId eq 12345678901234567890']] })).map((i) => [i.path, i.position])).toEqual([['states.start.transitions[0].if[0][0]', 17]]);
    // A negative one keeps its sign, in the suggestion and the position (review 54, finding 3); `a - 9…` subtracts the number written.
    for (const [written, shown, position] of [
      ['event.delta == -9007199254740993', '-9007199254740993', 15],
      ['event.delta gt - 9007199254740993', '-9007199254740993', 15],
      ['(-9007199254740993) == event.delta', '-9007199254740993', 1],
      ['event.a - 9007199254740993 > 0', '9007199254740993', 10],
      ['event.lt - 9007199254740993 > 0', '9007199254740993', 11],
    ] as const) {
      expect(admitted(withTransition({ to: 'done', on: 'x', if: written }))).toEqual([
        { path: 'states.start.transitions[0].if', message: expect.stringMatching(new RegExp(`^${shown} is a whole number past 2\\^53.*compare as ${shown.startsWith('-') ? '-' : ''}9007199254740992\\).*compare with '${shown}'$`)), position },
      ]);
    }
    // 2^53 itself, decimals and exponents are kept as written.
    for (const ok of ['event.n == 9007199254740992', 'event.n < 1e20', 'event.n > 12345678901234567000']) expect(admitted(withTransition({ to: 'done', on: 'x', if: ok }))).toEqual([]);
  });
});

describe("an aggregate's event type (finding 6)", () => {
  it('is refused, at its position, when no event could have it', () => {
    const def = withTransition({ to: 'done', when: "count('order completed') >= 5" }, true);
    expect(admitted(def)).toEqual([
      { path: 'states.start.transitions[0].when', message: expect.stringMatching(/^no event has the type 'order completed'/), position: 6 },
    ]);
    expect(stored(def).ok).toBe(true);
    const long = `sum('${'a'.repeat(201)}', 'amount') > 1`;
    expect(admitted(withTransition({ to: 'done', when: long }, true)).map((i) => i.position)).toEqual([4]);
    expect(admitted(withTransition({ to: 'done', when: `count('${'a'.repeat(200)}') > 1` }, true))).toEqual([]);
  });

  it('and its NUL or lone surrogate, in every notation', () => {
    expect(admitted(withTransition({ to: 'done', when: [["count('a\\u0000b') > 1"]] }, true))).toEqual([
      { path: 'states.start.transitions[0].when[0][0]', message: expect.stringMatching(/NUL/), position: 6 },
    ]);
    expect(admitted(withTransition({ to: 'done', when: { all: ["sum('x.y', 'p\\ud800') > 1"] } }, true))).toEqual([
      { path: 'states.start.transitions[0].when.all[0]', message: expect.stringMatching(/well-formed/), position: 11 },
    ]);
  });

  it('follows the grammar the API checks events with', () => {
    for (const type of ['order.completed', 'a', '_x', '9', 'a:b-c_d.e', '.a', '-a', ':a', 'a b', 'a/b', 'é', '', 'a'.repeat(200), 'a'.repeat(201)]) {
      const ours = type.length >= 1 && type.length <= MAX_EVENT_TYPE_LENGTH && EVENT_TYPE_PATTERN.test(type);
      expect({ type, ok: ours }).toEqual({ type, ok: EventType.safeParse(type).success });
    }
  });
});

describe("an entry.cron campaign's audience reading journey.entries or an event (review 57, finding 3)", () => {
  /** A batch entry: beside cron, entry.if is refused, so the audience's advice must not send the condition there. */
  const batchWith = (audience: string) => ({ ...campaignWith({ start: { end: true } }, { entry: { cron: '0 9 * * 1' } }), audience });
  const audienceIssue = (audience: string) => admitted(batchWith(audience)).find((i) => i.path === 'audience')?.message ?? '';

  it('sends journey.entries to participation.maxEntries, cooldown or frequency, not to entry.if', () => {
    const message = audienceIssue('journey.entries < 3');
    expect(message).not.toContain('entry.if');
    expect(message).toContain('participation.maxEntries');
    expect(message).toContain('participation.cooldown');
    // Following the advice compiles: a cap instead of the condition.
    expect(admitted({ ...campaignWith({ start: { end: true } }, { entry: { cron: '0 9 * * 1' } }), participation: { maxEntries: 3 } })).toEqual([]);
  });

  it('says an event fact is null at a tick, which has no event, and does not send it to entry.if', () => {
    const message = audienceIssue('event.amount > 3');
    expect(message).not.toContain('entry.if');
    expect(message).toContain('a batch entry (cron) has no event, so event.amount is null at each tick');
  });

  it('still sends what only a path has to a transition, beside the batch advice', () => {
    const message = audienceIssue("journey.entries < 3 && count('order.completed') > 1");
    expect(message).not.toContain('entry.if');
    expect(message).toContain('participation.maxEntries');
    expect(message).toContain("put an aggregate (the events of a path's current state) in a transition's `when`");
  });

  it('keeps entry.if as the advice for an event-started campaign', () => {
    expect(admitted({ ...campaignWith({ start: { end: true } }), audience: 'journey.entries < 3' })).toEqual([
      { path: 'audience', message: 'an audience is a condition on the user (user.*); it reads journey.entries: put that in entry.if' },
    ]);
  });
});
