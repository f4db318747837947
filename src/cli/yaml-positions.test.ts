import { parseSource } from './source-document';
import { locate, splitPath } from './yaml-positions';

const yamlText = `key: spend
name: Spend and post
initial: collecting
states:
  collecting:
    transitions:
      - to: rewarded
        when: "count('order.completed') >= 5"
      - to: nudged
        after: P3D
  rewarded:
    actions:
      steps:
        - type: coupon
          pool: vip-20-off
        - type: points
          amount: sum('order.completed', 'amount') * 10
    end: true
`;

describe('splitPath', () => {
  it('splits dotted keys and indexes', () => {
    expect(splitPath('states.rewarded.actions.steps[1].amount')).toEqual(['states', 'rewarded', 'actions', 'steps', 1, 'amount']);
    expect(splitPath('')).toEqual([]);
    expect(splitPath('when[0][1]')).toEqual(['when', 0, 1]);
  });
});

describe('locate in YAML', () => {
  const source = parseSource('c.yaml', yamlText);

  it('points at the value of a nested path', () => {
    expect(locate(source, 'states.rewarded.actions.steps[0].pool')).toEqual({ line: 15, col: 17 });
    expect(locate(source, 'states.collecting.transitions[1].after')).toEqual({ line: 10, col: 16 });
  });

  it('moves into an expression by its position, past an opening quote', () => {
    // The string starts at column 16 (after `when: "`); position 25 is its `>=`.
    expect(locate(source, 'states.collecting.transitions[0].when', 25)).toEqual({ line: 8, col: 41 });
    // A plain scalar has no quote: `sum(` starts at column 19, position 4 is the `'`.
    expect(locate(source, 'states.rewarded.actions.steps[1].amount', 4)).toEqual({ line: 17, col: 23 });
  });

  it('falls back to the deepest part that exists for a missing field', () => {
    expect(locate(source, 'states.rewarded.actions.steps[0].ifMissing')).toEqual({ line: 14, col: 11 });
    expect(locate(source, 'states.nowhere.actions')).toEqual({ line: 5, col: 3 });
  });

  it('points at the document start for the root', () => {
    expect(locate(source, '')).toEqual({ line: 1, col: 1 });
  });
});

describe('locate where a path is not plain', () => {
  const text = `key: odd
initial: step.one
states:
  step.one:
    transitions:
      - to: done
        after: P3X
      - to: done
        when: count('order.completed') >= 2 and
          sum('order.completed', 'amount') >== 5
      - to: done
        when: |
          count('order.completed') >= 2
            and event.x >== 1
      - to: done
        when: "count(\\"a\\") >== 1"
  done: { end: true }
`;
  const source = parseSource('odd.yaml', text);

  it('finds a state whose name holds dots, though the path does not quote it', () => {
    expect(locate(source, 'states.step.one.transitions[0].after')).toEqual({ line: 7, col: 16 });
  });

  it('moves into a plain expression over two lines, a block expression and a quoted one with escapes', () => {
    // Folded: "count('order.completed') >= 2 and sum('order.completed', 'amount') >== 5"; `>==` at 70.
    const folded = "count('order.completed') >= 2 and sum('order.completed', 'amount') >== 5";
    expect(locate(source, 'states.step.one.transitions[1].when', folded.indexOf('>=='))).toEqual({ line: 10, col: 44 });
    // Literal: "count('order.completed') >= 2\n  and event.x >== 1\n"; the block's lines are indented by 10.
    const literal = "count('order.completed') >= 2\n  and event.x >== 1\n";
    expect(locate(source, 'states.step.one.transitions[2].when', literal.indexOf('>=='))).toEqual({ line: 14, col: 25 });
    // Quoted, with two escaped quotes before the problem: `count("a") >== 1`, `>==` at 11.
    expect(locate(source, 'states.step.one.transitions[3].when', 11)).toEqual({ line: 16, col: 29 });
  });
});

describe('locate in JSON', () => {
  const json = '{\n  "key": "c",\n  "states": {\n    "a": { "transitions": [ { "to": "b", "if": "event.x >" } ] }\n  }\n}\n';
  const source = parseSource('c.json', json);

  it('uses the same ranges for JSON', () => {
    expect(locate(source, 'states.a.transitions[0].to')).toEqual({ line: 4, col: 37 });
    // The "if" string's quote is at column 48; position 8 is the `>`.
    expect(locate(source, 'states.a.transitions[0].if', 8)).toEqual({ line: 4, col: 57 });
  });
});

describe('parseSource', () => {
  it('reports syntax errors at their line and column, with no value', () => {
    const source = parseSource('bad.yaml', 'key: a\nstates: [\n');
    expect(source.value).toBeUndefined();
    expect(source.syntaxErrors[0].line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys', () => {
    expect(parseSource('dup.yaml', 'key: a\nkey: b\n').syntaxErrors).toHaveLength(1);
  });
});

describe('parseSource: numbers JSON cannot carry', () => {
  it('points at .inf, .nan and 1e400 instead of letting them reach the API as null', () => {
    const source = parseSource('n.yaml', 'key: n\na: .inf\nb: [1, -.INF]\nc: .nan\nd: 1e400\ne: 1e308\n');
    expect(source.value).toBeUndefined();
    expect(source.syntaxErrors.map((e) => [e.line, e.col, e.message.split(' ')[0]])).toEqual([
      [2, 4, '.inf'],
      [3, 8, '-.INF'],
      [4, 4, '.nan'],
      [5, 4, '1e400'],
    ]);
  });

  it('reads the same numbers in JSON files', () => {
    expect(parseSource('n.json', '{"key": "n", "big": 1e400}').syntaxErrors).toEqual([{ line: 1, col: 21, message: expect.stringMatching(/^1e400 is not a number JSON can carry/) }]);
    expect(parseSource('n.json', '{"key": "n", "big": 1.7e308}').value).toEqual({ key: 'n', big: 1.7e308 });
  });
});

describe('parseSource: aliases', () => {
  it('reports an alias inside its own anchor as a problem of the file, at the alias, not as an unreachable server', () => {
    const source = parseSource('rec.yaml', 'key: rec\nloop: &a [1, *a]\n');
    expect(source.value).toBeUndefined();
    expect(source.syntaxErrors).toEqual([{ line: 2, col: 14, message: 'an alias refers to the node that holds it: a loop, which JSON cannot hold' }]);
  });

  it('reports an alias bomb as a problem of the file instead of throwing', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const source = parseSource('bomb.yaml', bomb);
    expect(source.value).toBeUndefined();
    expect(source.syntaxErrors).toEqual([{ line: 2, col: 8, message: expect.stringMatching(/alias/i) }]);
  });

  it('still resolves ordinary aliases', () => {
    expect(parseSource('ok.yaml', 'a: &x {n: 1}\nb: *x\n').value).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });

  it('takes merge keys (<<: *anchor), the keys beside them winning, and still refuses a key written twice (cli probe)', () => {
    const text = 'x-step: &step {type: points, amount: 5}\nsteps:\n  - <<: *step\n    id: s1\n  - <<: *step\n    id: s2\n    amount: 7\n';
    expect(parseSource('m.yaml', text).value).toEqual({
      'x-step': { type: 'points', amount: 5 },
      steps: [
        { type: 'points', amount: 5, id: 's1' },
        { type: 'points', amount: 7, id: 's2' },
      ],
    });
    expect(parseSource('d.yaml', 'a: &x {n: 1}\nb:\n  <<: *x\n  m: 2\n  m: 3\n').syntaxErrors).toHaveLength(1);
    // In JSON, "<<" is only a key.
    expect(parseSource('j.json', '{ "<<": { "n": 1 } }').value).toEqual({ '<<': { n: 1 } });
  });
});

describe('a .json file must be JSON, though YAML would take more', () => {
  it('refuses a trailing comma and a comment at their place, and takes plain JSON', () => {
    const trailing = parseSource('c.json', '{\n  "key": "spend",\n  "name": "x",\n}\n');
    expect(trailing.syntaxErrors).toEqual([{ line: expect.any(Number), col: expect.any(Number), message: expect.stringMatching(/^not valid JSON: /) }]);
    expect(trailing.syntaxErrors[0].line).toBe(4);
    expect(trailing.value).toBeUndefined();
    expect(parseSource('c.json', '{ "key": "spend" } # a comment\n').syntaxErrors).toHaveLength(1);
    expect(parseSource('c.json', '{ "key": "spend" }\n')).toMatchObject({ syntaxErrors: [], value: { key: 'spend' } });
    // The same text as YAML is YAML's to judge.
    expect(parseSource('c.yaml', '{\n  "key": "spend",\n}\n').syntaxErrors).toEqual([]);
  });
});
