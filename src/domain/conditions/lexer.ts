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

import { textProblem } from '../text-problem';

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

const ORDERINGS = new Set(['>', '>=', '<', '<=']);
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * What is wrong with an expression's string literals, found on its tokens
 * (nothing for text that does not lex: the parser reports that):
 * - decoded text PostgreSQL cannot store (`'\\u0000'`, `'\\0'`, a lone
 *   `'\\ud800'`): written into a message or a webhook body, it would fail the
 *   step for good at the database;
 * - a number written as text and ordered against something
 *   (`event.amount > '20'`): with no type coercion it never holds for a
 *   number, so it is a mistake for the number itself.
 * The compiler refuses these where it admits a new campaign only (a stored
 * version must still compile as it was accepted).
 */
export function literalProblems(src: string): Array<{ message: string; position: number }> {
  const lexed = lex(src);
  if (!lexed.ok) return [];
  const found: Array<{ message: string; position: number }> = [];
  lexed.tokens.forEach((token, i) => {
    if (token.t !== 'str') return;
    const problem = textProblem(token.value);
    if (problem) found.push({ message: `the string ${problem}`, position: token.pos });
    const ordered = [lexed.tokens[i - 1], lexed.tokens[i + 1]].some((t) => t?.t === 'punct' && ORDERINGS.has(t.value));
    if (ordered && NUMERIC_TEXT.test(token.value)) {
      found.push({ message: `type mismatch: '${token.value}' is text, and text never orders against a number (no type coercion): write ${token.value}`, position: token.pos });
    }
  });
  return found;
}
