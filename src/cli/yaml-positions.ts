import { isMap, isPair, isScalar, isSeq, Scalar, type Node } from 'yaml';
import type { SourceDocument } from './source-document';

/** `states.rewarded.actions.steps[0].pool` → ['states', 'rewarded', 'actions', 'steps', 0, 'pool']. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/**
 * Where the API's (compiler's or zod's) `path` lies in the file: the value
 * at that path, or, when the path goes further than the document (a missing
 * field), the deepest part that exists. `position` (0-based, inside an
 * expression string) moves the column into the string, across its lines
 * when it spans several (offsetInSource).
 */
export function locate(source: SourceDocument, path: string, position?: number): Position {
  let node: Node | null | undefined = source.doc.contents as Node | null;
  let at = node?.range?.[0] ?? 0;
  let reachedEnd = true;
  const keys = splitPath(path);
  for (let i = 0; i < keys.length; ) {
    const found = childAt(node, keys, i);
    if (!found) {
      reachedEnd = false;
      break;
    }
    node = found.value;
    at = found.start;
    i += found.used;
  }
  if (reachedEnd && position !== undefined && isScalar(node) && typeof node.value === 'string' && node.range) {
    at = offsetInSource(source.text, node.range[0], node.type, position) ?? at;
  }
  return source.lines.linePos(at);
}

/**
 * The child for `keys[i]`. A state name may hold dots (`step.one`), and the
 * API's path does not quote it (`states.step.one.after`), so when no key
 * matches one part, the parts joined by dots are tried too.
 */
function childAt(node: Node | null | undefined, keys: (string | number)[], i: number): { value: Node | null; start: number; used: number } | undefined {
  const one = child(node, keys[i]);
  if (one) return { ...one, used: 1 };
  if (!isMap(node) || typeof keys[i] !== 'string') return undefined;
  let joined = String(keys[i]);
  for (let j = i + 1; j < keys.length && typeof keys[j] === 'string'; j++) {
    joined += `.${String(keys[j])}`;
    const found = child(node, joined);
    if (found) return { ...found, used: j - i + 1 };
  }
  return undefined;
}

/**
 * Where the character at `position` of a string's value lies in the file.
 * A value may span lines: a plain or quoted scalar folds each line break
 * and the next line's indentation into one character, and a block scalar
 * (`|`, `>`) starts on the line after its indicator, each line indented.
 * Escapes in double quotes count as the one character they stand for.
 */
function offsetInSource(text: string, start: number, type: Scalar['type'], position: number): number | undefined {
  let i = start;
  const block = type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED;
  let indent = 0;
  if (block) {
    const lineEnd = text.indexOf('\n', start);
    if (lineEnd < 0) return undefined;
    i = lineEnd + 1;
    while (text[i + indent] === ' ') indent++;
    i += indent;
  } else if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) i += 1;
  else if (type !== Scalar.PLAIN) return undefined;
  for (let taken = 0; taken < position && i < text.length; taken++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      // The next line's indentation is not part of the value.
      let skipped = 0;
      while ((text[i] === ' ' || text[i] === '\t') && (!block || skipped < indent)) {
        i++;
        skipped++;
      }
    } else if (type === Scalar.QUOTE_DOUBLE && text[i] === '\\') i += escapeLength(text, i);
    else if (type === Scalar.QUOTE_SINGLE && text[i] === "'" && text[i + 1] === "'") i += 2;
    else i++;
  }
  return i;
}

/** How many characters of source a double-quoted escape takes (`\n` 2, `\x41` 4, `\u0041` 6, `\U0001F600` 10). */
function escapeLength(text: string, i: number): number {
  const kind = text[i + 1];
  if (kind === 'x') return 4;
  if (kind === 'u') return 6;
  if (kind === 'U') return 10;
  return 2;
}

/** The child at `key` and where to point for it: its value, or its key when the value is empty. */
function child(node: Node | null | undefined, key: string | number): { value: Node | null; start: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
    if (!pair) return undefined;
    const value = pair.value as Node | null;
    const start = value?.range?.[0] ?? (pair.key as Node).range?.[0];
    return start === undefined ? undefined : { value, start };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key] as Node | undefined;
    return item?.range ? { value: item, start: item.range[0] } : undefined;
  }
  return undefined;
}
