import { AGGREGATE_FUNCTIONS, BUILT_IN_FACTS, CONDITION_FUNCTIONS, compileCondition } from '../conditions';
import { completionsAt, highlight, issueRange, type Vocabulary } from './expression-assist';

const vocab: Vocabulary = {
  eventTypes: [
    { type: 'order.completed', properties: ['amount', 'cityId'] },
    { type: 'post.created', properties: ['words'] },
  ],
  profileAttributes: ['level', 'vip'],
  aggregateFunctions: [...AGGREGATE_FUNCTIONS],
  functions: [...CONDITION_FUNCTIONS],
  facts: [...BUILT_IN_FACTS],
};

/** Completion at the `|` in the text. */
function at(textWithCursor: string) {
  const pos = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const c = completionsAt(text, pos, vocab);
  return c && { from: c.from, labels: c.options.map((o) => o.label) };
}

describe('expression completion', () => {
  it('offers event types in the first string of an aggregate, and after event.type ==', () => {
    expect(at("count('ord|")).toEqual({ from: 7, labels: ['order.completed', 'post.created'] });
    expect(at("sum('|")).toEqual({ from: 5, labels: ['order.completed', 'post.created'] });
    expect(at("event.type == '|")?.labels).toEqual(['order.completed', 'post.created']);
  });

  it("offers the named type's properties in the second string of sum/min/max/avg/distinct, not of count", () => {
    expect(at("sum('order.completed', '|")).toEqual({ from: 24, labels: ['amount', 'cityId'] });
    expect(at("distinct('post.created', 'w|")?.labels).toEqual(['words']);
    expect(at("count('order.completed', '|")).toBeNull();
  });

  it('offers event fields and properties after event., profile attributes after user., journey facts after journey.', () => {
    expect(at('event.|')).toEqual({ from: 6, labels: ['type', 'id', 'occurredAt', 'amount', 'cityId', 'words'] });
    expect(at('event.amount > 2 && user.le|')).toEqual({ from: 25, labels: ['level', 'vip'] });
    expect(at('journey.|')?.labels).toEqual(['enteredAt', 'stateEnteredAt', 'entries']);
  });

  it("offers the compiler's functions, fact roots and keywords for a bare word, and nothing after a closing parenthesis", () => {
    const c = at('event.amount > 1 && su|');
    expect(c?.from).toBe(20);
    expect(c?.labels).toEqual(expect.arrayContaining(['count', 'sum', 'distinct', 'atLeast', 'exists', 'daysSince', 'event.', 'user.', 'journey.', 'and']));
    expect(completionsAt('su', 2, vocab)?.options.find((o) => o.label === 'sum')?.apply).toBe("sum('");
    expect(at("count('a')|")).toBeNull();
    expect(at('12|')).toBeNull();
  });

  it('the function list is the compiler\'s: every offered function name compiles as a known function', () => {
    for (const f of vocab.functions) {
      const compiled = compileCondition(`${f}() == 1`, 'c');
      const unknown = compiled.ok ? [] : compiled.issues.filter((i) => i.message.startsWith('unknown function'));
      expect(unknown).toEqual([]);
    }
  });
});

describe('highlighting', () => {
  it('colours facts as one span, functions, strings, numbers, operators, keywords and literals', () => {
    const text = "sum('order.completed', 'amount') >= 20 and event.cityId in [1, 2] && user.vip == true";
    const spans = highlight(text).map((s) => [text.slice(s.from, s.to), s.kind]);
    expect(spans).toEqual([
      ['sum', 'function'],
      ["'order.completed'", 'string'],
      ["'amount'", 'string'],
      ['>=', 'operator'],
      ['20', 'number'],
      ['and', 'keyword'],
      ['event.cityId', 'fact'],
      ['in', 'keyword'],
      ['1', 'number'],
      ['2', 'number'],
      ['&&', 'operator'],
      ['user.vip', 'fact'],
      ['==', 'operator'],
      ['true', 'literal'],
    ]);
  });

  it('keeps going through half-typed text (an unclosed string, a stray character)', () => {
    const text = "count('ord = #";
    expect(highlight(text).map((s) => s.kind)).toEqual(['function', 'string']);
  });
});

describe('issue ranges', () => {
  it("underlines the token at the compiler's position", () => {
    const text = "sum('order.completed', 'amount') >>= 20";
    const compiled = compileCondition(text, 'when');
    expect(compiled.ok).toBe(false);
    const issue = !compiled.ok ? compiled.issues[0] : null;
    expect(issue?.position).toBeDefined();
    const r = issueRange(text, issue?.position);
    expect(text.slice(r.from, r.to)).toBe('>=');
    expect(r.from).toBe(34);
  });

  it('underlines a whole unknown word, the last character past the end, and everything without a position', () => {
    const text = 'evnt.amount > 2';
    const compiled = compileCondition(text, 'c');
    const issue = !compiled.ok ? compiled.issues[0] : null;
    expect(text.slice(issueRange(text, issue?.position).from, issueRange(text, issue?.position).to)).toBe('evnt');
    expect(issueRange('a >', 3)).toEqual({ from: 2, to: 3 });
    expect(issueRange('a > 1', undefined)).toEqual({ from: 0, to: 5 });
    expect(issueRange('', 0)).toEqual({ from: 0, to: 0 });
  });
});
