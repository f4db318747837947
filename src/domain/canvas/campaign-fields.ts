/**
 * Editing the campaign-wide fields (entry, audience, participation, exitOn,
 * schedule) from side panels: set one nested field, leaving out what is
 * emptied (an empty `frequency` or `schedule` is removed rather than sent as
 * `{}`, which the schema would refuse or misread), and find the compiler
 * issues that belong to one field. Pure.
 */
import type { CampaignInput } from '../campaign/schema';
import { isObject } from '../is-object';

type Json = Record<string, unknown>;
const isEmpty = (v: unknown) => v === undefined || (isObject(v) && Object.keys(v).length === 0);

function setIn(obj: Json, path: readonly string[], value: unknown): Json {
  const [head, ...rest] = path;
  const copy = { ...obj };
  const next = rest.length === 0 ? value : setIn(isObject(copy[head]) ? (copy[head] as Json) : {}, rest, value);
  if (isEmpty(next)) delete copy[head];
  else copy[head] = next;
  return copy;
}

/**
 * The definition with the field at `path` (e.g. `['participation', 'frequency', 'per']`)
 * set to `value`; undefined (or an empty object) removes it, and parents left empty go too.
 * `entry` stays even when emptied: it is required, and its absence is the compiler's to report.
 */
export function setCampaignField(def: CampaignInput, path: readonly string[], value: unknown): CampaignInput {
  const out = setIn(def as unknown as Json, path, value);
  if (out.entry === undefined) out.entry = {};
  return out as unknown as CampaignInput;
}

/** Reads a nested field, undefined when any part is missing. */
export function campaignField(def: CampaignInput, path: readonly string[]): unknown {
  let cur: unknown = def;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

/**
 * Issues at or under `prefix` (a compiler path such as `entry.if` or
 * `exitOn[0]`), each with `rest`: the path below the prefix, in the form the
 * condition builder reads (`[1][0]`, `of[0]`, '' for the field itself).
 */
export function issuesAt<T extends { path: string }>(issues: readonly T[], prefix: string): Array<T & { rest: string }> {
  const out: Array<T & { rest: string }> = [];
  for (const i of issues) {
    if (i.path === prefix) out.push({ ...i, rest: '' });
    else if (i.path.startsWith(`${prefix}.`)) out.push({ ...i, rest: i.path.slice(prefix.length + 1) });
    else if (i.path.startsWith(`${prefix}[`)) out.push({ ...i, rest: i.path.slice(prefix.length) });
  }
  return out;
}
