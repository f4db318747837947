import { InputError } from '../common/errors';
import type { DomainIssue } from '../../domain/issues';
import { zodIssues } from '../common/zod-input';
import { ENTRY_NODE, MAX_LAYOUT_NODES, VersionEnvelope, type VersionLayout } from './campaign-versions.schemas';
import { isObject } from '../../domain/is-object';

/**
 * Takes the request fields that are not the campaign (`layout`, and
 * `baseVersion` where allowed) out of a create or new-version body, checked
 * with their paths; the rest is the definition, compiled and stored as
 * submitted. A field not allowed stays in, so the compiler reports it as an
 * unknown field.
 */
export function splitEnvelope(
  body: unknown,
  allowed: ReadonlyArray<keyof VersionEnvelope>,
): { definition: unknown; envelope: VersionEnvelope; issues: DomainIssue[] } {
  if (!isObject(body)) return { definition: body, envelope: {}, issues: [] };
  const definition: Record<string, unknown> = { ...body };
  const picked: Record<string, unknown> = {};
  for (const field of allowed) {
    if (field in definition) {
      picked[field] = definition[field];
      delete definition[field];
    }
  }
  // Its problems are returned, not thrown: the caller reports them with the compiler's, all in one answer.
  const parsed = VersionEnvelope.safeParse(picked);
  return parsed.success ? { definition, envelope: parsed.data, issues: [] } : { definition, envelope: {}, issues: zodIssues(parsed.error) };
}

/** How many nodes a layout of `definition` may place: MAX_LAYOUT_NODES, or every state and the entry when they are more. */
export function layoutCap(definition: unknown): number {
  const states = isObject(definition) && isObject(definition.states) ? definition.states : {};
  return Math.max(MAX_LAYOUT_NODES, Object.keys(states).length + 1);
}

/** Nodes a layout places that are neither a state of the definition nor the entry; past layoutCap, one issue at `layout`. */
export function unknownNodeIssues(layout: VersionLayout, definition: unknown): DomainIssue[] {
  const states = isObject(definition) && isObject(definition.states) ? definition.states : {};
  const names = Object.keys(layout);
  const cap = layoutCap(definition);
  if (names.length > cap) return [{ path: 'layout', message: `at most ${cap} nodes (the version's states and the entry)` }];
  return names
    .filter((name) => name !== ENTRY_NODE && !Object.hasOwn(states, name))
    .map((name) => ({ path: `layout.${name}`, message: `no state "${name}" in this version` }));
}

/** Every node a layout places is a state of the definition (or the entry). */
export function refuseUnknownNodes(layout: VersionLayout, definition: Record<string, unknown>): void {
  const issues = unknownNodeIssues(layout, definition);
  if (issues.length > 0) throw new InputError(issues);
}
