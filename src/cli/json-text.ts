/**
 * JSON the CLI reads from the user (an events file's lines, `--properties`,
 * a `--prop` value) is parsed here and sent again with JSON.stringify, so
 * what JSON.parse changes without a word never reaches Kairos, which would
 * have refused it: a key named twice (one value dropped), a whole number
 * past 2^53 (rounded; the API refuses it with the same scan and words,
 * src/domain/json-unsafe-integers.ts), a number past a double (sent as
 * null), a `__proto__` key. Each is found here and said at its path, and
 * nothing is sent.
 */
import { duplicateKeyPath, keyTwiceWords } from '../domain/json-duplicate-keys';
import { forbiddenKeyPath } from '../domain/json-forbidden-keys';
import { unsafeIntegerLiteral, wholeNumberPast2To53 } from '../domain/json-unsafe-integers';
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
    return `${shown([...base, ...duplicate])}: ${keyTwiceWords(duplicate[duplicate.length - 1])}`;
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

/** Why such a literal is refused, the same for `--prop`, `--properties` and a file (and in the API's answers). */
export { wholeNumberPast2To53 };

/**
 * Where JSON.parse read a number past what a double holds (`1e400`) as
 * Infinity, which JSON.stringify then sends as null: the path of the first,
 * or undefined. The API refuses such a number when it sees its text.
 */
function overflowPath(value: unknown, path: Path = []): Path | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  return firstInChildren(value, path, overflowPath);
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
