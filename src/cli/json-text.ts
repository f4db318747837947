/**
 * JSON the CLI reads from the user (an events file's lines, `--properties`,
 * a `--prop` value) is parsed here and sent again with JSON.stringify, so
 * what JSON.parse changes without a word never reaches Kairos, which would
 * have refused it: a key named twice (one value dropped), a whole number
 * past 2^53 (rounded), a number past a double (sent as null), a `__proto__`
 * key. Each is found here and said at its path, and nothing is sent.
 */
import { duplicateKeyPath, stringEnd } from '../domain/json-duplicate-keys';
import { isObject } from '../domain/is-object';
import { formatPath } from '../domain/zod-issues';
import { MAX_JSON_DEPTH, tooDeepPath } from '../domain/storable';

type Path = Array<string | number>;

/** A path as messages show it (`properties.items[1]`), or `the value` for the whole of it. */
const shown = (path: Path): string => formatPath('', path) || 'the value';

/**
 * How many arrays and objects of the body of POST /v1/events,
 * `{"events":[{"properties":{...}}]}`, are around what paths start from:
 * an event of a file, or the properties of one from flags. Kairos counts
 * them too when it refuses a body nested deeper than MAX_JSON_DEPTH.
 */
export const LEVELS_AROUND = { event: 2, properties: 3 } as const;

/**
 * The first such problem of `text` (which JSON.parse read into `value`) as
 * `path: what is wrong and what to do`, or undefined. `base` is the path of
 * `value` itself (`['orderNo']` for `--prop orderNo=...`); `around` is how
 * many arrays and objects of the request are around where `base` starts
 * (LEVELS_AROUND).
 */
export function jsonTextProblem(text: string, value: unknown, base: Path = [], around = 0): string | undefined {
  const duplicate = duplicateKeyPath(text);
  if (duplicate) {
    const key = String(duplicate[duplicate.length - 1]);
    // The API's own words for it (src/api/common/json-body.ts).
    return `${shown([...base, ...duplicate])}: the key ${JSON.stringify(key)} appears twice in one object; JSON keeps only the last, so say it once`;
  }
  const big = unsafeIntegerLiteral(text);
  if (big) return `${shown([...base, ...big.path])}: ${wholeNumberPast2To53(big.literal)}; write it as a string to send it as text: "${big.literal}"`;
  return valueProblem(value, base, around);
}

/** The problems a value has whatever text it came from (nested too deep, a number too large for a double, a forbidden key), or undefined. */
export function valueProblem(value: unknown, base: Path = [], around = 0): string | undefined {
  // First: the checks below recurse, and a line nested 5,000 deep (which JSON.parse takes) would overflow the stack.
  const deep = tooDeepPath(value, MAX_JSON_DEPTH - around - base.length);
  if (deep) return `${shortPath([...base, ...deep.map(pathKey)])}: nests deeper than Kairos takes (at most ${MAX_JSON_DEPTH} levels of arrays and objects in a request, counting those of the request around it); nest it less deep`;
  const overflow = overflowPath(value, base);
  if (overflow) return `${shown(overflow)}: a number too large for JSON to carry (it would be sent as null)`;
  const forbidden = forbiddenKeyPath(value, base);
  if (forbidden) return `${shown(forbidden)}: Kairos takes no "__proto__" key, nor a "constructor" holding "prototype" (they could change objects built from the event): name it otherwise`;
  return undefined;
}

const pathKey = (key: PropertyKey): string | number => (typeof key === 'number' ? key : String(key));

/** A path as `shown`, cut after a few steps when it is long (one 120 levels deep would fill the screen). */
function shortPath(path: Path): string {
  const SHOWN_STEPS = 6;
  return path.length <= SHOWN_STEPS ? shown(path) : `${shown(path.slice(0, SHOWN_STEPS))}... (${path.length} levels down)`;
}

/** Why such a literal is refused, the same for `--prop`, `--properties` and a file. */
export const wholeNumberPast2To53 = (literal: string): string => `${literal} is a whole number past 2^53, which a JSON number does not keep exactly`;

/**
 * Where JSON.parse read a number past what a double holds (`1e400`) as
 * Infinity, which JSON.stringify then sends as null: the path of the first,
 * or undefined. The API refuses such a number when it sees its text.
 */
function overflowPath(value: unknown, path: Path = []): Path | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  return firstInChildren(value, path, overflowPath);
}

/**
 * A `__proto__` key, or a `constructor` holding `prototype`: the API refuses
 * both (they could poison objects built from the body). JSON.parse keeps a
 * `__proto__` key as a property; `obj['__proto__'] = v` would instead set
 * the object's prototype, and the key would vanish from what is sent.
 */
function forbiddenKeyPath(value: unknown, path: Path): Path | undefined {
  const name = path[path.length - 1];
  if (name === '__proto__') return path;
  if (name === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) return [...path, 'prototype'];
  return firstInChildren(value, path, forbiddenKeyPath);
}

/** The first path `find` gives for an item of a list or a property of an object, in order. */
function firstInChildren(value: unknown, path: Path, find: (inner: unknown, path: Path) => Path | undefined): Path | undefined {
  const children: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isObject(value) ? Object.entries(value) : [];
  for (const [key, inner] of children) {
    const found = find(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The first number written as digits alone (`12345678901234567890`) that a
 * double does not hold exactly, with its path, or undefined. JSON.parse reads
 * it as 12345678901234567000: an order number would change without a word.
 * (`1.5e20` is written as a double and taken as one.) Only called on text
 * JSON.parse accepted, so the scan trusts the grammar, as duplicateKeyPath does.
 */
export function unsafeIntegerLiteral(text: string): { path: Path; literal: string } | undefined {
  // One frame per open object (the key being read) or array (the index).
  const frames: Array<{ key: string; expectingKey: boolean } | { index: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = frames[frames.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top && 'key' in top && top.expectingKey) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
        top.expectingKey = false;
      }
      i = end;
    } else if (c === '{') frames.push({ key: '', expectingKey: true });
    else if (c === '[') frames.push({ index: 0 });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && top) {
      if ('key' in top) top.expectingKey = true;
      else top.index++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const literal = match(NUMBER, text, i);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) return { path: frames.map((f) => ('key' in f ? f.key : f.index)), literal };
      i += literal.length - 1;
    }
  }
  return undefined;
}

function match(token: RegExp, text: string, at: number): string {
  token.lastIndex = at;
  return token.exec(text)?.[0] ?? text[at];
}
