import { lineOfPath, parseYaml, pathSegments, toYaml } from './yaml-text';
import { reservedStateName } from './reserved-states';

const campaign = {
  key: 'welcome',
  name: 'Welcome',
  entry: { on: 'order.completed', if: 'event.amount > 0' },
  initial: 'a.b',
  states: {
    'a.b': { transitions: [{ to: 'done', on: 'order.completed' }, { to: 'done', after: 'P3D' }] },
    done: { end: true, actions: { steps: [{ type: 'points', amount: 'sum(' }] } },
  },
};

describe('the YAML view of a campaign', () => {
  it('round-trips a definition, YAML words such as "on" staying strings', () => {
    const text = toYaml(campaign);
    expect(text).toContain('on: order.completed');
    expect(parseYaml(text)).toEqual({ ok: true, value: campaign });
  });

  it('reports a parse error with its line', () => {
    const text = 'key: welcome\nname: Welcome\nentry:\n  on: [order.completed\ninitial: a\n';
    const parsed = parseYaml(text);
    expect(parsed.ok).toBe(false);
    expect(parsed).toMatchObject({ line: expect.any(Number), message: expect.any(String) });
    expect((parsed as { line: number }).line).toBeGreaterThanOrEqual(4);
    expect(parseYaml('key: a\nkey: b\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseYaml('- a\n- b\n')).toMatchObject({ ok: false, message: expect.stringContaining('mapping') });
  });

  it('splits compiler paths into keys and indexes', () => {
    expect(pathSegments('states.done.actions.steps[0].amount')).toEqual(['states', 'done', 'actions', 'steps', 0, 'amount']);
    expect(pathSegments('exitOn[2]')).toEqual(['exitOn', 2]);
  });

  it("finds the line a compiler path points at, a state name's dots included, or the nearest line that exists", () => {
    const text = toYaml(campaign);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(lineOfPath(text, 'states.done.actions.steps[0].amount')).toBe(lineOf('amount: sum('));
    expect(lineOfPath(text, 'states.a.b.transitions[1].after')).toBe(lineOf('after: P3D'));
    expect(lineOfPath(text, 'entry.if')).toBe(lineOf('if: event.amount'));
    // A field that is missing points at where it belongs.
    expect(lineOfPath(text, 'states.done.transitions')).toBe(lineOf('done:'));
    expect(lineOfPath('key: [', 'key')).toBeNull();
  });
});

describe('a state name the canvas cannot hold', () => {
  it('is text that does not become the campaign, with the line of that state, in YAML and JSON alike', () => {
    const text = ['key: k', 'name: K', 'entry:', '  on: a.b', 'initial: w', 'states:', '  w:', '    transitions:', '      - { to: toString, on: x }', '  toString:', '    end: true', ''].join('\n');
    expect(parseYaml(text)).toEqual({ ok: false, message: expect.stringMatching(/^states\.toString: "toString" is reserved as a state name/), line: 10 });
    expect(parseYaml(text.replace(/toString/g, 'done')).ok).toBe(true);
    for (const name of ['__proto__', 'constructor']) expect(reservedStateName(JSON.parse(`{"states":{"w":{},"${name}":{}}}`))?.name).toBe(name);
    expect(reservedStateName({ states: { w: {} } })).toBeNull();
  });
});

describe('a whole number past 2^53 typed in the YAML', () => {
  const withAccount = (accountId: string) =>
    ['key: k', 'name: K', 'entry:', '  on: order.completed', 'initial: s', 'states:', '  s:', '    end: true', '    actions:', '      steps:', '        - type: webhook', '          url: https://hooks.example.com/in', '          body:', `            accountId: ${accountId}`, ''].join('\n');

  it('stays text that does not become the campaign, with its path, line and the API\'s words, where the parser rounded it to other digits', () => {
    expect(parseYaml(withAccount('12345678901234567890'))).toEqual({
      ok: false,
      message: 'states.s.actions.steps[0].body.accountId: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "12345678901234567890"',
      line: 14,
    });
    // Written another way YAML reads as an integer, or as a mapping's key: the same.
    expect(parseYaml(withAccount('0x1FFFFFFFFFFFFFF'))).toMatchObject({ ok: false, message: expect.stringMatching(/^states\.s\.actions\.steps\[0\]\.body\.accountId: 0x1FFFFFFFFFFFFFF is a whole number past 2\^53/) });
    expect(parseYaml(withAccount('{ 9007199254740993: x }'))).toMatchObject({ ok: false, message: expect.stringMatching(/^states\.s\.actions\.steps\[0\]\.body\.accountId\.9007199254740993: 9007199254740993 is a whole number past 2\^53/) });
  });

  it('is taken when the double keeps it: digits as JSON writes them (what Kairos answers), small ones, quoted ones and decimals', () => {
    for (const fine of ['12345678901234567000', '9007199254740991', '"12345678901234567890"', '1.5e20', '-42']) {
      expect({ fine, ok: parseYaml(withAccount(fine)).ok }).toEqual({ fine, ok: true });
    }
    const parsed = parseYaml(withAccount('12345678901234567000'));
    expect(parsed.ok && JSON.stringify(parsed.value)).toContain('"accountId":12345678901234567000');
  });
});

describe('a key written twice in one mapping in the YAML', () => {
  const withState = (lines: string[]) => ['key: k', 'name: K', 'entry:', '  on: order.completed', 'initial: s', 'states:', '  s:', '    end: true', ...lines, ''].join('\n');

  it("stays text that does not become the campaign, with its path, line and the API's words, as the JSON tab says it", () => {
    const twice = withState(['    actions:', '      steps: [{ type: webhook, url: "https://hooks.example.com/in" }]', '    actions:', '      steps: []']);
    expect(parseYaml(twice)).toEqual({
      ok: false,
      message: 'states.s.actions: the key "actions" appears twice in one object; JSON keeps only the last, so say it once',
      line: 11,
    });
  });

  it('names keys YAML holds apart but the campaign makes one (every JSON key is text), which the parser lets through', () => {
    const body = (keys: string) => withState(['    actions:', '      steps:', '        - type: webhook', '          url: https://hooks.example.com/in', `          body: { ${keys} }`]);
    expect(parseYaml(body('1: a, "1": b'))).toEqual({
      ok: false,
      message: 'states.s.actions.steps[0].body.1: the key "1" appears twice in one object; JSON keeps only the last, so say it once',
      line: 13,
    });
    expect(parseYaml(body('true: a, "true": b'))).toMatchObject({ ok: false, message: expect.stringMatching(/^states\.s\.actions\.steps\[0\]\.body\.true: the key "true" appears twice/) });
    expect(parseYaml(body('~: a, "": b'))).toMatchObject({ ok: false, message: expect.stringMatching(/the key "" appears twice in one object/) });
    expect(parseYaml(body('1: a, "01": b, a: 1, A: 1')).ok).toBe(true);
  });
});

describe('a key that is not text in the YAML', () => {
  const withBody = (keys: string) =>
    ['key: k', 'name: K', 'entry:', '  on: order.completed', 'initial: s', 'states:', '  s:', '    end: true', '    actions:', '      steps:', '        - type: webhook', '          url: https://hooks.example.com/in', `          body: { ${keys} }`, ''].join('\n');

  it("is refused at its line with the CLI's words: the campaign would hold it under another name (every JSON key is text)", () => {
    expect(parseYaml(withBody('007: agent'))).toEqual({
      ok: false,
      message: 'states.s.actions.steps[0].body.7: the key 007 reaches Kairos as "7" (every JSON key is text): quote it to keep it as written, "007"',
      line: 13,
    });
    expect(parseYaml(withBody('1.0: a'))).toMatchObject({ ok: false, message: expect.stringContaining('the key 1.0 reaches Kairos as "1"') });
    expect(parseYaml(withBody('~: a'))).toMatchObject({ ok: false, message: expect.stringContaining('the key ~ reaches Kairos as ""') });
    expect(parseYaml(withBody('True: a'))).toMatchObject({ ok: false, message: expect.stringContaining('the key True reaches Kairos as "true"') });
  });

  it('takes a key written as the name it gets, and a quoted one as it is', () => {
    const parsed = parseYaml(withBody('"007": agent, 1: a, true: b, -3: c'));
    expect(parsed.ok && parsed.value).toMatchObject({ states: { s: { actions: { steps: [{ body: { '007': 'agent', 1: 'a', true: 'b', '-3': 'c' } }] } } } });
  });
});
