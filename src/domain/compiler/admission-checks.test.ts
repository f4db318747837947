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
