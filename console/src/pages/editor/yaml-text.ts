/**
 * The campaign as YAML text and back, and "which line does this compiler path
 * point at" so the YAML view can show each issue at its line. Pure (the `yaml`
 * package's parser, as for templates), unit-tested.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { shapeProblem, YAML_WORDS } from './campaign-shape';
import { reservedStateName } from './reserved-states';

/** Block style, long strings (conditions) kept on one line. */
export const toYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

export type YamlParse = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; line: number | null };

/** The text as a campaign object, or the first problem with its line (1-based): the parser's, a reserved state name, or a shape the canvas cannot draw (campaign-shape.ts). */
export function parseYaml(text: string): YamlParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) return { ok: false, message: problem.message.split('\n')[0], line: counter.linePos(problem.pos[0]).line };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'a campaign is a mapping (key: value lines)', line: 1 };
  const reserved = reservedStateName(value);
  if (reserved) return { ok: false, message: reserved.message, line: lineOfPath(text, `states.${reserved.name}`) };
  const shape = shapeProblem(value as Record<string, unknown>, YAML_WORDS);
  if (shape) return { ok: false, message: shape.message, line: lineOfPath(text, shape.path) };
  return { ok: true, value: value as Record<string, unknown> };
}

/** `states.a.actions.steps[1].amount` → ['states', 'a', 'actions', 'steps', 1, 'amount']. */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].match(/\d+/g) ?? []) out.push(Number(idx));
  }
  return out;
}

/**
 * The line (1-based) of the deepest node along `path` that the text has: the
 * field itself, or the place it is missing from. Names may contain dots
 * (state names do), so a mapping key is tried with as many segments joined as
 * make a key it has.
 */
export function lineOfPath(text: string, path: string): number | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) return null;
  const segs = pathSegments(path);
  let node: unknown = doc.contents;
  let at: number | null = (doc.contents as Node | null)?.range?.[0] ?? null;
  let i = 0;
  while (i < segs.length && node) {
    if (isSeq(node) && typeof segs[i] === 'number') {
      const item = node.items[segs[i] as number] as Node | undefined;
      if (!item) break;
      node = item;
      at = item.range?.[0] ?? at;
      i += 1;
      continue;
    }
    if (!isMap(node)) break;
    const map = node;
    let found = false;
    for (let k = segs.length - i; k >= 1 && !found; k--) {
      const parts = segs.slice(i, i + k);
      if (parts.some((p) => typeof p === 'number')) continue;
      const key = parts.join('.');
      const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      if (pair) {
        at = (pair.key as Node).range?.[0] ?? at;
        node = pair.value;
        i += k;
        found = true;
      }
    }
    if (!found) break;
  }
  return at === null ? null : counter.linePos(at).line;
}
