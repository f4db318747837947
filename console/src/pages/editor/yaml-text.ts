/**
 * The campaign as YAML text and back, and "which line does this compiler path
 * point at" so the YAML view can show each issue at its line. Pure (the `yaml`
 * package's parser, as for templates), unit-tested.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node, type Scalar } from 'yaml';
import { jsonKeepsWholeNumber } from '../../../../src/domain/json-unsafe-integers';
import { shapeProblem, YAML_WORDS } from './campaign-shape';
import { renamedKeyWords } from '../../../../src/domain/renamed-key';
import { formatPath } from '../../../../src/domain/zod-issues';
import { keyTwiceProblem } from './key-twice';
import { reservedStateName } from './reserved-states';
import { wholeNumberProblem, type ValuePath } from './whole-numbers';

/** Block style, long strings (conditions) kept on one line. */
export const toYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

export type YamlParse = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; line: number | null };

/**
 * The text as a campaign object, or the first problem with its line
 * (1-based): the parser's, a key written twice in one mapping (the campaign
 * would keep the last, and the API refuses it in JSON: key-twice.ts), a whole
 * number past 2^53 (which becomes a rounded double, and the API refuses:
 * whole-numbers.ts), a reserved state name, or a shape the canvas cannot draw
 * (campaign-shape.ts).
 */
export function parseYaml(text: string): YamlParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  // yaml says "Map keys must be unique" without the key or its path, and lets `1:` and `"1":` through, which are one JSON key.
  const twice = !problem || problem.code === 'DUPLICATE_KEY' ? keyNamedTwice(doc, doc.contents, []) : null;
  if (twice) return { ok: false, message: keyTwiceProblem(twice.path).message, line: counter.linePos(twice.at).line };
  if (problem) return { ok: false, message: problem.message.split('\n')[0], line: counter.linePos(problem.pos[0]).line };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'a campaign is a mapping (key: value lines)', line: 1 };
  const renamed = renamedKey(doc.contents, []);
  if (renamed) return { ok: false, message: `${formatPath('', renamed.path)}: ${renamedKeyWords(renamed.written, renamed.name)}`, line: counter.linePos(renamed.at).line };
  const rounded = roundedWholeNumber(doc.contents, []);
  if (rounded) {
    const problem = wholeNumberProblem(rounded.path, rounded.literal);
    return { ok: false, message: problem.message, line: counter.linePos(rounded.at).line };
  }
  const reserved = reservedStateName(value);
  if (reserved) return { ok: false, message: reserved.message, line: lineOfPath(text, `states.${reserved.name}`) };
  const shape = shapeProblem(value as Record<string, unknown>, YAML_WORDS);
  if (shape) return { ok: false, message: shape.message, line: lineOfPath(text, shape.path) };
  return { ok: true, value: value as Record<string, unknown> };
}

/** An integer as YAML writes one: decimal with a sign, hexadecimal or octal (the core schema's). */
const INTEGER_SOURCE = /^[-+]?\d+$|^0x[0-9a-fA-F]+$|^0o[0-7]+$/;

/** Whether this scalar is an integer written in the text that became another number (BigInt reads every form above exactly). */
function isRounded(scalar: Scalar): boolean {
  const source = scalar.source;
  if (typeof scalar.value !== 'number' || typeof source !== 'string' || !INTEGER_SOURCE.test(source)) return false;
  return !jsonKeepsWholeNumber(BigInt(source).toString());
}

/**
 * The first integer in the document that becomes another number, as written,
 * with its path (a mapping's key included: it becomes a rounded name) and
 * place; or null. A quoted one is text, and stays as written.
 */
function roundedWholeNumber(node: unknown, path: ValuePath): { path: ValuePath; literal: string; at: number } | null {
  if (isScalar(node)) return isRounded(node) ? { path, literal: String(node.source), at: node.range?.[0] ?? 0 } : null;
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = roundedWholeNumber(item, [...path, index]);
      if (found) return found;
    }
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key : null;
      if (key && isRounded(key)) return { path: [...path, String(key.source)], literal: String(key.source), at: key.range?.[0] ?? 0 };
      const found = roundedWholeNumber(pair.value, [...path, key ? String(key.value) : String(pair.key)]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The first key of a mapping whose name in the campaign (every JSON key is
 * text: toJS makes `1`, `"1"` and `1.0` one key "1", `~` and `""` one key "")
 * an earlier key of the same mapping has, with its path and place; or null.
 * A key that is a list or a mapping is left to yaml's own check.
 */
function keyNamedTwice(doc: Document, node: unknown, path: ValuePath): { path: ValuePath; at: number } | null {
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = keyNamedTwice(doc, item, [...path, index]);
      if (found) return found;
    }
  }
  if (!isMap(node)) return null;
  const names = new Set<string>();
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
    const name = isScalar(key) ? jsonKeyName(key) : undefined;
    if (name !== undefined && names.has(name)) return { path: [...path, name], at: (pair.key as Node).range?.[0] ?? 0 };
    if (name !== undefined) names.add(name);
    const found = keyNamedTwice(doc, pair.value, [...path, name ?? String(pair.key)]);
    if (found) return found;
  }
  return null;
}

/**
 * The first key that is not text in YAML and so is renamed in the campaign
 * (`007:` becomes "7", `1.0:` "1", `~:` ""), with its path (under the name it
 * would get), as written and place; or null. A whole number past 2^53 is
 * roundedWholeNumber's; a key written as its own name (`1:`, `true:`) keeps it.
 */
function renamedKey(node: unknown, path: ValuePath): { path: ValuePath; written: string; name: string; at: number } | null {
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = renamedKey(item, [...path, index]);
      if (found) return found;
    }
  }
  if (!isMap(node)) return null;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = isScalar(pair.key) ? pair.key : null;
    const name = key ? jsonKeyName(key) : String(pair.key);
    if (key && typeof key.value !== 'string' && typeof key.source === 'string' && name !== key.source && !isRounded(key)) {
      return { path: [...path, name], written: key.source, name, at: key.range?.[0] ?? 0 };
    }
    const found = renamedKey(pair.value, [...path, name]);
    if (found) return found;
  }
  return null;
}

/** The name toJS gives a scalar key in the campaign object: its value as text, null as "". */
const jsonKeyName = (key: Scalar): string => (key.value === null || key.value === undefined ? '' : String(key.value as string | number | boolean));

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
