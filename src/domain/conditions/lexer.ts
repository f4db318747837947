/**
 * Splits an expression string into tokens. Words are not classified here
 * (`in`, `and`, `eq` ...): after a dot any word is a property name, so only
 * the parser knows whether a word is a keyword.
 */

export type Token =
  | { t: 'num'; value: number; pos: number; end: number }
  | { t: 'str'; value: string; pos: number; end: number }
  | { t: 'word'; value: string; pos: number; end: number }
  | { t: 'punct'; value: string; pos: number; end: number }
  | { t: 'eof'; pos: number; end: number };

import { jsonKeepsWholeNumber, wholeNumberPast2To53 } from '../json-unsafe-integers';
import { textProblem } from '../text-problem';
import { AGGREGATE_FUNCTIONS } from './types';

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; message: string; position: number };

// Longest first, so `>=` is not read as `>` then `=`.
const PUNCTS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')', '[', ']', ',', '.', '+', '-', '*', '/'];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const isWordPart = (c: string): boolean => isWordStart(c) || isDigit(c);

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
      const text = m ? m[0] : c;
      i += text.length;
      if (i < src.length && isWordPart(src[i])) return { ok: false, message: `invalid number '${src.slice(start, i + 1)}'`, position: start };
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, message: `number '${text}' is out of range`, position: start };
      tokens.push({ t: 'num', value, pos: start, end: i });
      continue;
    }
    if (isWordStart(c)) {
      while (i < src.length && isWordPart(src[i])) i++;
      tokens.push({ t: 'word', value: src.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      const read = readString(src, i);
      if (!read.ok) return read;
      tokens.push({ t: 'str', value: read.value, pos: start, end: read.end });
      i = read.end;
      continue;
    }
    const p = PUNCTS.find((x) => src.startsWith(x, i));
    if (p === undefined) {
      const hint = c === '=' ? " (use '==' to compare)" : c === '&' || c === '|' ? ` (use '${c}${c}')` : '';
      return { ok: false, message: `unexpected character '${c}'${hint}`, position: start };
    }
    tokens.push({ t: 'punct', value: p, pos: start, end: start + p.length });
    i += p.length;
  }
  tokens.push({ t: 'eof', pos: src.length, end: src.length });
  return { ok: true, tokens };
}

function readString(
  src: string,
  start: number,
): { ok: true; value: string; end: number } | { ok: false; message: string; position: number } {
  const quote = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === quote) return { ok: true, value: out, end: i + 1 };
    if (c === '\\') {
      const e = src[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const mapped = e === undefined ? undefined : ESCAPES[e];
      if (mapped === undefined) return { ok: false, message: 'invalid escape in string', position: i };
      out += mapped;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return { ok: false, message: 'unterminated string', position: start };
}

/** The orderings, written as symbols or as words (`event.amount gt '20'`): a word beside a string is never a property name there. */
const ORDERINGS = new Set(['>', '>=', '<', '<=', 'gt', 'gte', 'lt', 'lte']);
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;
const AGGREGATES: ReadonlySet<string> = new Set<string>(AGGREGATE_FUNCTIONS);

/**
 * The grammar of an event type (EventType, src/domain/event.ts, which the
 * API checks every event and every `on` with). Repeated without zod, since
 * this module runs in the workflow bundle; a test checks that the two agree.
 */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
export const MAX_EVENT_TYPE_LENGTH = 200;

/** Why a number is written as text in an ordering (a mistake for the number itself, with no type coercion). */
export const numberAsTextMessage = (text: string): string =>
  `type mismatch: '${text}' is text, and text never orders against a number (no type coercion): write ${text}`;

/** Whether `text` is a number written as text (`'20'`, `'-3.5'`). */
export const isNumericText = (text: string): boolean => NUMERIC_TEXT.test(text);

/** Whether `op` (a symbol or a word) orders its sides. */
export const isOrdering = (op: string): boolean => ORDERINGS.has(op);

/**
 * What is wrong with an expression's literals, found on its tokens, at their
 * positions (nothing for text that does not lex: the parser reports that):
 * - decoded text PostgreSQL cannot store (`'\\u0000'`, `'\\0'`, a lone
 *   `'\\ud800'`): written into a message or a webhook body, it would fail the
 *   step for good at the database;
 * - a number written as text and ordered against something
 *   (`event.amount > '20'`, `event.amount gt '20'`): with no type coercion it
 *   never holds for a number, so it is a mistake for the number itself;
 * - a whole number past 2^53 (`9007199254740993`): read as a double it is
 *   another number, so the condition would compare one the operator never
 *   wrote (the API refuses the same literal in JSON);
 * - an aggregate's event type that no event can have (`count('order
 *   completed')`, a space): ingest refuses such a type, so the aggregate
 *   would stay empty for ever.
 * The compiler refuses these where it admits a new campaign only (a stored
 * version must still compile as it was accepted). `place`: `data` for a
 * message data value, where nothing is compared (the caller says how to
 * send the text as written), `condition` for the rest.
 */
export function literalProblems(src: string, place: 'condition' | 'data' = 'condition'): Array<{ message: string; position: number }> {
  const lexed = lex(src);
  if (!lexed.ok) return [];
  const tokens = lexed.tokens;
  const found: Array<{ message: string; position: number }> = [];
  tokens.forEach((token, i) => {
    if (token.t === 'num') {
      const digits = src.slice(token.pos, token.end);
      if (/^\d+$/.test(digits) && !jsonKeepsWholeNumber(digits)) {
        // The lexer makes a minus a token of its own: `== -9007199254740993` is the negative number, written with its sign.
        const minus = negates(tokens, i - 1) ? tokens[i - 1] : undefined;
        const text = minus ? `-${digits}` : digits;
        const read = String(minus ? -token.value : token.value);
        const message =
          place === 'data'
            ? `${wholeNumberPast2To53(text)} (it would be sent as ${read})`
            : `${wholeNumberPast2To53(text)} (it would compare as ${read}): an event carries such a number as text, so compare with '${text}'`;
        found.push({ message, position: minus ? minus.pos : token.pos });
      }
      return;
    }
    if (token.t !== 'str') return;
    const problem = textProblem(token.value);
    if (problem) found.push({ message: `the string ${problem}`, position: token.pos });
    const ordered = [tokens[i - 1], tokens[i + 1]].some((t) => (t?.t === 'punct' || t?.t === 'word') && ORDERINGS.has(t.value));
    if (ordered && NUMERIC_TEXT.test(token.value)) found.push({ message: numberAsTextMessage(token.value), position: token.pos });
    const fn = aggregateCalled(tokens, i);
    if (fn !== undefined && !problem && token.value !== '' && !isEventType(token.value)) {
      found.push({
        message: `no event has the type '${token.value}': an event type is 1 to ${MAX_EVENT_TYPE_LENGTH} letters, digits and . _ : - (not starting with . : or -), so ${fn} would never see one`,
        position: token.pos,
      });
    }
  });
  return found;
}

/** Words that stand where an operator does (so a `-` after one negates): not after a dot, where any word is a property. */
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'nin', 'contains', 'startsWith', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte']);

/** Whether tokens[i] is a unary `-` (nothing that ends an operand before it: `== -5`, `(-5`, `gt -5`, not `a - 5`). */
function negates(tokens: readonly Token[], i: number): boolean {
  const minus = tokens[i];
  if (minus?.t !== 'punct' || minus.value !== '-') return false;
  const before = tokens[i - 1];
  if (before === undefined) return true;
  if (before.t === 'punct') return before.value !== ')' && before.value !== ']';
  if (before.t !== 'word') return false;
  const dot = tokens[i - 2];
  return !(dot?.t === 'punct' && dot.value === '.') && OPERATOR_WORDS.has(before.value);
}

/** The aggregate whose first argument tokens[i] is (`count(` before it, not a property: `event.count(`), or undefined. */
function aggregateCalled(tokens: readonly Token[], i: number): string | undefined {
  const [before, open, paren] = [tokens[i - 3], tokens[i - 2], tokens[i - 1]];
  if (paren?.t !== 'punct' || paren.value !== '(' || open?.t !== 'word' || !AGGREGATES.has(open.value)) return undefined;
  return before?.t === 'punct' && before.value === '.' ? undefined : open.value;
}

const isEventType = (text: string): boolean => text.length <= MAX_EVENT_TYPE_LENGTH && EVENT_TYPE_PATTERN.test(text);
