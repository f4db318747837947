/**
 * `{{name}}` placeholders in a template's campaign body. A string that is
 * exactly one placeholder takes the parameter's value with its JSON type (a
 * number stays a number); a placeholder inside longer text is replaced by the
 * value as text, e.g. `count('post.created') >= {{minPosts}}`.
 */
import { parseExpression } from '../conditions/parser';
import { joinPath } from '../issues';
import type { ParameterValue } from './parameter-spec';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}$/;

/** Where in the rendered campaign a parameter's value went, so compile issues can be traced back to it. */
export interface Provenance {
  path: string;
  parameters: string[];
}

/** Every placeholder in `body` with the path of the string holding it, plus any object key holding one (not allowed). */
export function findPlaceholders(body: unknown, path = ''): { uses: Provenance[]; keysWithPlaceholders: string[] } {
  const uses: Provenance[] = [];
  const keysWithPlaceholders: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      const names = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
      if (names.length > 0) uses.push({ path: at, parameters: [...new Set(names)] });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, joinPath(at, i)));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('{{')) keysWithPlaceholders.push(joinPath(at, k));
        walk(v, joinPath(at, k));
      }
    }
  };
  walk(body, path);
  return { uses, keysWithPlaceholders };
}

/**
 * The fields of a campaign whose strings are expressions (CAMPAIGNS.md):
 * conditions (`if`, `when`, `audience`; not a fact leaf's `value`, which is
 * JSON data) and amounts; a message step's `data` strings are too, when they
 * parse as one. Every other string is plain text
 * (a name, a description, a template name, a webhook step's URL and body).
 */
const EXPRESSION_KEYS: ReadonlySet<string> = new Set(['if', 'when', 'audience', 'amount']);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A copy of `body` with every placeholder replaced; names not in `values` are left as they are.
 * In an expression (a condition, an amount, a message `data` string that
 * parses as one with its placeholders left empty; `body` itself when it is
 * a string), a placeholder inside a quoted literal
 * (`"event.plan == '{{plan}}'"`, `"'{{tagline}}'"`) is filled in escaped the
 * way the expression lexer reads a string (`\\` for a backslash, `\'` or `\"`
 * for the enclosing quote), so the value stays the text it is, whatever
 * characters it holds (`It's on us`, `C:\new`), and cannot end the literal.
 * Outside a literal, in a quote the string never closes, and in plain text
 * (a webhook body, a name, a `data` string that is text such as
 * `It's {{name}}'s day`, a condition's fact-leaf `value`) the value goes in
 * as it is, except that a `data` string that is text and parses as an
 * expression once filled is quoted (fillDataString).
 */
export function substitute(body: unknown, values: Readonly<Record<string, ParameterValue>>): unknown {
  return fill(body, values, typeof body === 'string');
}

/** A whole-string placeholder keeps its value's JSON type; other text is filled in (escaped in an expression's literals). */
function fillString(text: string, values: Readonly<Record<string, ParameterValue>>, expression: boolean): unknown {
  const whole = WHOLE.exec(text);
  if (whole && Object.prototype.hasOwnProperty.call(values, whole[1])) return values[whole[1]];
  return substituteInText(text, values, expression);
}

function fill(body: unknown, values: Readonly<Record<string, ParameterValue>>, expression: boolean): unknown {
  if (typeof body === 'string') return fillString(body, values, expression);
  // Inside a condition (`when: [[...]]`, `{ any: [...] }`, `{ atLeast, of }`) every string is an expression too.
  if (Array.isArray(body)) return body.map((item) => fill(item, values, expression));
  if (isRecord(body)) {
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => {
        if (body.type === 'webhook' && (k === 'body' || k === 'url')) return [k, fillText(v, values)];
        if (body.type === 'message' && k === 'data' && isRecord(v)) {
          // A data value that is a string is an expression when it parses as one (else it is text sent as written); an object or array in it is JSON sent as it is.
          return [k, Object.fromEntries(Object.entries(v).map(([name, item]) => [name, typeof item === 'string' ? fillDataString(item, values) : fillText(item, values)]))];
        }
        // A fact leaf's `value` is JSON data, never an expression (src/domain/conditions/notations.ts): `"the 'x' sale"` is compared as that text.
        if (k === 'value' && Object.prototype.hasOwnProperty.call(body, 'fact')) return [k, fillText(v, values)];
        return [k, fill(v, values, expression || EXPRESSION_KEYS.has(k))];
      }),
    );
  }
  return body;
}

/**
 * A message `data` string. One the template writes as text stays text
 * whatever fills it: the compiler judges the filled string again
 * (compiler/context.ts valueOrLiteral), and `Shop {{offer}}` filled with
 * `and save` would parse, read event.Shop and event.save, and be sent as
 * `false`. So a filled text that parses goes in as a quoted literal, which
 * compiles to exactly that text.
 */
function fillDataString(text: string, values: Readonly<Record<string, ParameterValue>>): unknown {
  if (readsAsExpression(text)) return fillString(text, values, true);
  const filled = fillString(text, values, false);
  return typeof filled === 'string' && parseExpression(filled, '').ok ? `'${escapeInLiteral(filled, "'")}'` : filled;
}

/** Plain text all the way down (a webhook body): every value goes in as it is. */
function fillText(body: unknown, values: Readonly<Record<string, ParameterValue>>): unknown {
  if (typeof body === 'string') return fillString(body, values, false);
  if (Array.isArray(body)) return body.map((item) => fillText(item, values));
  if (isRecord(body)) return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillText(v, values)]));
  return body;
}

const AT_PLACEHOLDER = new RegExp(PLACEHOLDER.source, 'y');

/** Escaped as a string literal closed by `quote` is read (src/domain/conditions/lexer.ts readString). */
const escapeInLiteral = (text: string, quote: string): string => text.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`);

interface Use {
  start: number;
  end: number;
  name: string;
  /** Inside a literal the text closes: the quote that closes it; else null (outside any, or in a quote never closed). */
  quote: string | null;
}

/**
 * The placeholders of `text`, each with the literal it sits in.
 * Scanned from the start as the lexer reads: outside a literal a `'` or `"`
 * opens one; inside, `\` escapes the next character and the same quote closes it.
 */
function scan(text: string): Use[] {
  // Each placeholder found, with the index of the quote opening the literal it sits in (-1: outside any).
  const found: Array<{ start: number; end: number; name: string; literal: number }> = [];
  const closed = new Set<number>();
  let literal = -1;
  let i = 0;
  while (i < text.length) {
    AT_PLACEHOLDER.lastIndex = i;
    const m = AT_PLACEHOLDER.exec(text);
    if (m) {
      found.push({ start: i, end: i + m[0].length, name: m[1], literal });
      i += m[0].length;
      continue;
    }
    const c = text[i];
    if (literal < 0) {
      if (c === "'" || c === '"') literal = i;
    } else if (c === '\\') {
      // The escaped character; a placeholder right after the backslash is still a placeholder.
      i += text.startsWith('{{', i + 1) ? 1 : 2;
      continue;
    } else if (c === text[literal]) {
      closed.add(literal);
      literal = -1;
    }
    i++;
  }
  return found.map(({ start, end, name, literal: at }) => ({ start, end, name, quote: at >= 0 && closed.has(at) ? text[at] : null }));
}

/**
 * Whether the compiler will read a message `data` string as an expression
 * (src/domain/compiler/context.ts valueOrLiteral: a string that does not
 * parse is literal text, sent as written), judged on the template's own
 * text with each placeholder replaced by a neutral stand-in: empty text
 * inside a literal, `0` outside. `'{{tagline}}'` and
 * `user.firstName + ' {{suffix}}'` do; `It's {{name}}'s day` does not.
 */
function readsAsExpression(text: string): boolean {
  let neutral = '';
  let from = 0;
  for (const use of scan(text)) {
    neutral += text.slice(from, use.start) + (use.quote === null ? '0' : '');
    from = use.end;
  }
  return parseExpression(neutral + text.slice(from), '').ok;
}

/** The placeholders of `text` filled in; in an expression, each inside a closed literal escaped for that literal. */
function substituteInText(text: string, values: Readonly<Record<string, ParameterValue>>, expression: boolean): string {
  if (!expression) return text.replace(PLACEHOLDER, (found, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : found));
  let out = '';
  let from = 0;
  for (const use of scan(text)) {
    out += text.slice(from, use.start);
    from = use.end;
    if (!Object.prototype.hasOwnProperty.call(values, use.name)) {
      out += text.slice(use.start, use.end);
      continue;
    }
    const value = String(values[use.name]);
    out += use.quote === null ? value : escapeInLiteral(value, use.quote);
  }
  return out + text.slice(from);
}
