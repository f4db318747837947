/**
 * What the expression editor needs besides the text: the colour of each
 * token, what to offer for completion at the cursor, and where a compiler
 * issue's character position lies as a range to underline. Pure, so the
 * console's CodeMirror glue stays thin and this is unit-tested.
 *
 * The tokenizer is tolerant (half-typed text is the normal case while
 * typing), unlike the compiler's lexer, which stops at the first bad
 * character; the compiler still decides what is an error.
 */

/** What completion can offer, as `GET /v1/vocabulary` answers it. */
export interface Vocabulary {
  eventTypes: Array<{ type: string; properties: string[] }>;
  profileAttributes: string[];
  aggregateFunctions: string[];
  functions: string[];
  facts: string[];
}

export type TokenKind = 'number' | 'string' | 'keyword' | 'function' | 'fact' | 'operator' | 'literal';

export interface Span {
  from: number;
  to: number;
  kind: TokenKind;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'nin', 'contains', 'startsWith', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte']);
const LITERALS = new Set(['true', 'false', 'null']);
const FACT_ROOTS = new Set(['event', 'user', 'journey']);
const OPERATORS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '+', '-', '*', '/'];

interface RawToken {
  t: 'num' | 'str' | 'word' | 'punct' | 'other';
  from: number;
  to: number;
  text: string;
  /** For strings: whether the closing quote is there. */
  closed?: boolean;
}

function scan(text: string): RawToken[] {
  const out: RawToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      i += m ? m[0].length : 1;
      out.push({ t: 'num', from: start, to: i, text: text.slice(start, i) });
    } else if (/[A-Za-z_$]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i])) i++;
      out.push({ t: 'word', from: start, to: i, text: text.slice(start, i) });
    } else if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      const closed = i < text.length;
      i = Math.min(text.length, closed ? i + 1 : i);
      out.push({ t: 'str', from: start, to: i, text: text.slice(start, i), closed });
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? (/[()[\],.]/.test(c) ? c : null);
      i += op ? op.length : 1;
      out.push({ t: op ? 'punct' : 'other', from: start, to: i, text: text.slice(start, i) });
    }
  }
  return out;
}

/** Coloured spans for the text; words after a dot are property names, part of the fact they follow. */
export function highlight(text: string): Span[] {
  const tokens = scan(text);
  const spans: Span[] = [];
  tokens.forEach((tok, n) => {
    const prev = tokens[n - 1];
    const next = tokens[n + 1];
    if (tok.t === 'num') spans.push({ from: tok.from, to: tok.to, kind: 'number' });
    else if (tok.t === 'str') spans.push({ from: tok.from, to: tok.to, kind: 'string' });
    else if (tok.t === 'punct' && OPERATORS.includes(tok.text)) spans.push({ from: tok.from, to: tok.to, kind: 'operator' });
    else if (tok.t === 'word') {
      const afterDot = prev?.text === '.';
      if (afterDot || FACT_ROOTS.has(tok.text)) {
        // event.amount: one fact span from the root to the last property.
        const last = spans[spans.length - 1];
        if (afterDot && last?.kind === 'fact' && last.to === prev.from) last.to = tok.to;
        else spans.push({ from: tok.from, to: tok.to, kind: 'fact' });
      } else if (next?.text === '(') spans.push({ from: tok.from, to: tok.to, kind: 'function' });
      else if (LITERALS.has(tok.text)) spans.push({ from: tok.from, to: tok.to, kind: 'literal' });
      else if (KEYWORDS.has(tok.text)) spans.push({ from: tok.from, to: tok.to, kind: 'keyword' });
    }
  });
  return spans;
}

export interface CompletionOption {
  label: string;
  kind: 'eventType' | 'property' | 'attribute' | 'function' | 'aggregate' | 'fact' | 'keyword';
  detail?: string;
  /** Text inserted instead of the label (a function with its parenthesis). */
  apply?: string;
}

export interface Completion {
  /** Where the replaced text starts (the cursor is its end). */
  from: number;
  options: CompletionOption[];
}

const unique = (list: string[]) => [...new Set(list)].sort();

/** The call a string argument at token index `n` belongs to: its function name and argument index. */
function callOf(tokens: RawToken[], n: number): { fn: string; arg: number; args: RawToken[][] } | null {
  let depth = 0;
  let arg = 0;
  for (let i = n - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.text === ')' || t.text === ']') depth++;
    else if (t.text === '[') depth--;
    else if (t.text === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const fn = tokens[i - 1];
      if (fn?.t !== 'word') return null;
      // The arguments before the string, split at top-level commas.
      const args: RawToken[][] = [[]];
      let d = 0;
      for (let j = i + 1; j < n; j++) {
        const x = tokens[j];
        if (x.text === '(' || x.text === '[') d++;
        if (x.text === ')' || x.text === ']') d--;
        if (x.text === ',' && d === 0) args.push([]);
        else args[args.length - 1].push(x);
      }
      return { fn: fn.text, arg, args };
    } else if (t.text === ',' && depth === 0) arg++;
  }
  return null;
}

const unquote = (tok: RawToken | undefined) => (tok?.t === 'str' ? tok.text.slice(1, tok.closed ? -1 : undefined) : null);

/**
 * What to offer at `pos`: event types inside an aggregate's first string (or
 * after `event.type ==`), that type's properties inside its second string,
 * properties after `event.`, profile attributes after `user.`, journey facts
 * after `journey.`, and otherwise functions, fact roots and keywords for the
 * word being typed. Null where nothing fits (inside a number, after a `)`).
 */
export function completionsAt(text: string, pos: number, vocab: Vocabulary): Completion | null {
  const tokens = scan(text.slice(0, pos));
  const n = tokens.length - 1;
  const tok = tokens[n];
  const aggregates = new Set(vocab.aggregateFunctions);

  if (tok?.t === 'str' && !tok.closed) {
    const from = tok.from + 1;
    const call = callOf(tokens, n);
    const eventTypes = (): Completion => ({ from, options: vocab.eventTypes.map((e) => ({ label: e.type, kind: 'eventType', detail: 'event type' })) });
    if (call && aggregates.has(call.fn) && call.arg === 0) return eventTypes();
    if (call && aggregates.has(call.fn) && call.fn !== 'count' && call.arg === 1) {
      const type = call.args[0].length === 1 ? unquote(call.args[0][0]) : null;
      const props = vocab.eventTypes.filter((e) => type === null || e.type === type).flatMap((e) => e.properties);
      return { from, options: unique(props).map((p) => ({ label: p, kind: 'property', detail: type ? `${type} property` : 'event property' })) };
    }
    const before = tokens.slice(Math.max(0, n - 4), n).map((t) => t.text).join('');
    if (/^event\.type(==|!=|eq|ne)$/.test(before) || /event\.type(==|!=|eq|ne)$/.test(before)) return eventTypes();
    return null;
  }

  // A fact path being typed: `event.`, `user.am`, `journey.st`.
  const word = tok?.t === 'word' && tok.to === pos ? tok : null;
  const dotAt = word ? n - 1 : n;
  if (tokens[dotAt]?.text === '.' && tokens[dotAt].to === (word ? word.from : pos) && tokens[dotAt - 1]?.t === 'word') {
    const root = tokens[dotAt - 1].text;
    const from = word ? word.from : pos;
    if (tokens[dotAt - 2]?.text === '.') return null;
    if (root === 'event') {
      const builtIn = vocab.facts.filter((f) => f.startsWith('event.')).map((f) => f.slice('event.'.length));
      const props = unique(vocab.eventTypes.flatMap((e) => e.properties)).filter((p) => !builtIn.includes(p));
      return { from, options: [...builtIn.map((p) => ({ label: p, kind: 'fact' as const, detail: 'event field' })), ...props.map((p) => ({ label: p, kind: 'property' as const, detail: 'seen in recent events' }))] };
    }
    if (root === 'user') return { from, options: unique(vocab.profileAttributes).map((a) => ({ label: a, kind: 'attribute', detail: 'profile attribute' })) };
    if (root === 'journey') {
      return { from, options: vocab.facts.filter((f) => f.startsWith('journey.')).map((f) => ({ label: f.slice('journey.'.length), kind: 'fact', detail: 'journey fact' })) };
    }
    return null;
  }

  if (tok && !word && !(tok.t === 'punct' && tok.text !== ')' && tok.text !== ']')) return null;
  if (tok && (tok.text === ')' || tok.text === ']')) return null;
  const from = word ? word.from : pos;
  const options: CompletionOption[] = [
    ...vocab.aggregateFunctions.map((f) => ({ label: f, kind: 'aggregate' as const, detail: 'aggregate', apply: `${f}('` })),
    ...vocab.functions.filter((f) => !aggregates.has(f)).map((f) => ({ label: f, kind: 'function' as const, detail: 'function', apply: `${f}(` })),
    ...[...FACT_ROOTS].map((r) => ({ label: `${r}.`, kind: 'fact' as const, detail: r === 'user' ? 'profile attribute' : r === 'event' ? 'event property' : 'journey fact' })),
    ...['true', 'false', 'null', 'and', 'or', 'not', 'in', 'contains', 'startsWith'].map((k) => ({ label: k, kind: 'keyword' as const })),
  ];
  return { from, options };
}

/**
 * The range to underline for an issue at character `position` (the
 * compiler's 0-based offset inside the expression): the token that starts
 * there, or one character; past the end (an expression cut short), the last
 * character. Without a position, the whole text.
 */
export function issueRange(text: string, position: number | undefined): { from: number; to: number } {
  if (text.length === 0) return { from: 0, to: 0 };
  if (position === undefined) return { from: 0, to: text.length };
  if (position >= text.length) return { from: text.length - 1, to: text.length };
  const from = Math.max(0, position);
  const tok = scan(text).find((t) => t.from === from);
  return { from, to: tok ? tok.to : from + 1 };
}
