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
 * expression string) moves the column into the string; quoted strings skip
 * their opening quote (escapes before the position are not counted).
 */
export function locate(source: SourceDocument, path: string, position?: number): Position {
  let node: Node | null | undefined = source.doc.contents as Node | null;
  let at = node?.range?.[0] ?? 0;
  let reachedEnd = true;
  for (const key of splitPath(path)) {
    const next = child(node, key);
    if (!next) {
      reachedEnd = false;
      break;
    }
    node = next.value;
    at = next.start;
  }
  if (reachedEnd && position !== undefined && isScalar(node) && typeof node.value === 'string' && node.range) {
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    if (quoted || node.type === Scalar.PLAIN) at = node.range[0] + (quoted ? 1 : 0) + position;
  }
  return source.lines.linePos(at);
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
