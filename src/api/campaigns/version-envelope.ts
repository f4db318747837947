import { InputError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { ENTRY_NODE, VersionEnvelope, type VersionLayout } from './campaign-versions.schemas';

/** A request body is parsed JSON, so an object in it that is not an array is a JSON object. */
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Takes the request fields that are not the campaign (`layout`, and
 * `baseVersion` where allowed) out of a create or new-version body, checked
 * with their paths; the rest is the definition, compiled and stored as
 * submitted. A field not allowed stays in, so the compiler reports it as an
 * unknown field.
 */
export function splitEnvelope(body: unknown, allowed: ReadonlyArray<keyof VersionEnvelope>): { definition: unknown; envelope: VersionEnvelope } {
  if (!isPlainObject(body)) return { definition: body, envelope: {} };
  const definition: Record<string, unknown> = { ...body };
  const picked: Record<string, unknown> = {};
  for (const field of allowed) {
    if (field in definition) {
      picked[field] = definition[field];
      delete definition[field];
    }
  }
  return { definition, envelope: parseInput(VersionEnvelope, picked) };
}

/** Every node a layout places is a state of the definition (or the entry). */
export function refuseUnknownNodes(layout: VersionLayout, definition: Record<string, unknown>): void {
  const states = isPlainObject(definition.states) ? definition.states : {};
  const unknown = Object.keys(layout).filter((name) => name !== ENTRY_NODE && !Object.hasOwn(states, name));
  if (unknown.length > 0) throw new InputError(unknown.map((name) => ({ path: `layout.${name}`, message: `no state "${name}" in this version` })));
}
