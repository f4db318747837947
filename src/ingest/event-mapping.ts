import { z } from 'zod';
import { IncomingEvent } from '../domain/event';
import { type DomainIssue, type Result, fail, ok } from '../domain/issues';
import { TOO_DEEP_MESSAGE, tooDeepPath, unstorableText } from '../domain/storable';
import { duplicateKeyPath } from '../domain/json-duplicate-keys';
import { unsafeIntegerLiteral, writeItAsString } from '../domain/json-unsafe-integers';
import { formatPath } from '../domain/zod-issues';
import { JsonPath, readPath } from './json-path';

/**
 * Where one field of the Kairos event comes from: a path into the message
 * (a bare string is a path), or a constant. `prefix` keeps ids of different
 * business topics apart (`order.paid:` + orderNo).
 */
export const ValueSource = z.union([
  JsonPath,
  z.object({ path: JsonPath, default: z.unknown().optional(), prefix: z.string().max(100).optional() }).strict(),
  z.object({ const: z.unknown() }).strict(),
]);
export type ValueSource = z.infer<typeof ValueSource>;

/**
 * A raw message -> a Kairos event, without code: each field from a path or a
 * constant, properties renamed one by one (`properties.amount: "total"`), or a
 * whole object copied (`copyProperties: "$"`) with the named ones on top.
 */
export const EventMapping = z
  .object({
    id: ValueSource,
    type: ValueSource,
    userId: ValueSource,
    occurredAt: ValueSource.optional().describe('Left out: the time of receipt.'),
    copyProperties: JsonPath.optional().describe('An object in the message whose fields all become properties.'),
    properties: z.record(z.string().min(1).max(200), ValueSource).default({}).describe('Property name -> where it comes from.'),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    // Stored as jsonb: text PostgreSQL cannot hold is a 400 at its path, not a database error without one.
    const unstorable = unstorableText(mapping);
    for (const { path, message } of unstorable) ctx.addIssue({ code: 'custom', path, message });
    // A mapping is configuration: a few fields and tags, not a payload (each message's event carries its constants).
    const bytes = Buffer.byteLength(JSON.stringify(mapping));
    if (bytes > MAX_MAPPING_BYTES) ctx.addIssue({ code: 'custom', path: [], message: `is ${bytes} bytes as JSON; a mapping takes at most ${MAX_MAPPING_BYTES} (constants are for tags, not payloads)` });
    // Every message without the id would be taken for a duplicate of the first one that had none.
    if (typeof mapping.id === 'object' && 'default' in mapping.id && mapping.id.default !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['id', 'default'], message: 'an id has no default: every message without one would be a duplicate of the first' });
    }
    // The same for a constant: every message after the first would be taken for a duplicate and dropped.
    if (typeof mapping.id === 'object' && mapping.id !== null && 'const' in mapping.id) {
      ctx.addIssue({ code: 'custom', path: ['id', 'const'], message: "an id cannot be a constant: every message after the first would be a duplicate of it; map it from the message (a path, with a prefix when it is only unique per type)" });
    }
    // A constant type or user that POST /v1/events would refuse would dead-letter every message (a constant id is refused above).
    for (const field of ['type', 'userId', 'occurredAt'] as const) {
      const source = mapping[field];
      if (typeof source !== 'object' || source === null || !('const' in source)) continue;
      if (unstorable.some((u) => u.path[0] === field)) continue;
      const checked = IncomingEvent.shape[field].safeParse(source.const);
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', path: [field, 'const', ...issue.path], message: issue.message });
    }
    // So would a default of theirs, or a default behind a property's prefix, in every message that lacks the value
    // (a null default is none: it counts as missing).
    const fields = (['type', 'userId', 'occurredAt'] as const).map((field) => ({ at: [field], source: mapping[field], field }));
    const properties = Object.entries(mapping.properties).map(([name, source]) => ({ at: ['properties', name], source, field: undefined }));
    for (const { at, source, field } of [...fields, ...properties]) {
      if (typeof source !== 'object' || !('path' in source) || source.default === undefined || source.default === null) continue;
      if (unstorable.some((u) => at.every((key, i) => u.path[i] === key))) continue;
      for (const issue of defaultIssues(field, source)) ctx.addIssue({ code: 'custom', path: [...at, 'default', ...issue.path], message: issue.message });
    }
  });
export type EventMapping = z.infer<typeof EventMapping>;

/** The largest mapping taken, as JSON. */
export const MAX_MAPPING_BYTES = 64 * 1024;

const MISSING = Symbol('missing');

/** The value a source names, before any prefix; MISSING when the message has nothing there (and no default). */
function resolve(source: ValueSource, message: unknown): unknown {
  if (typeof source === 'string') return readPath(message, source) ?? MISSING;
  if ('const' in source) return source.const;
  return readPath(message, source.path) ?? source.default ?? MISSING;
}

const prefixOf = (source: ValueSource): string | undefined => (typeof source === 'object' && 'prefix' in source ? source.prefix : undefined);

/**
 * Why a value cannot be an id or user id (or be prefixed), or undefined when
 * it can: text (not empty), or a whole number JSON kept exactly. A prefix must not turn
 * an object into "[object Object]" or a rounded number into text, where two
 * messages would get one id and the second be dropped as a duplicate.
 */
function notAnIdentifier(value: unknown, at: string): string | undefined {
  // Behind a prefix, empty text would make every such message the same id ("order.paid:"), the next ones duplicates.
  if (value === '') return `the value at ${at} is empty text`;
  if (typeof value === 'string') return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) {
    // JSON.parse already rounded it: 1234567890123456789 and ...788 both read as ...800, and one would be taken for the other's duplicate.
    return `the number at ${at} is past 2^53, where JSON numbers lose digits (read as ${String(value)}): send it as a string`;
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'number' ? 'a number with a fraction' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `the value at ${at} is ${kind}; it must be text or a whole number`;
}

const describe = (source: ValueSource): string => (typeof source === 'string' ? source : 'path' in source ? source.path : 'a constant');

/** Business systems send numeric order numbers and user ids; Kairos ids are strings. */
function identifier(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

type EventField = 'id' | 'type' | 'userId' | 'occurredAt';

/**
 * What a path's default would make of a field (or, without `field`, of a
 * property) in every message that lacks the value, as mapMessage takes it:
 * why it is no identifier, or what POST /v1/events would refuse in it.
 */
function defaultIssues(field: EventField | undefined, source: { path: string; default?: unknown; prefix?: string }): Array<{ path: PropertyKey[]; message: string }> {
  const taken = fieldValue(field, source, source.default, `${source.path} (its default)`);
  if ('why' in taken) return [{ path: [], message: taken.why }];
  if (field === undefined) return [];
  const checked = IncomingEvent.shape[field].safeParse(taken.value);
  return checked.success ? [] : checked.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/**
 * The value an event field (or, without `field`, a property) takes from what
 * its source resolved to: ids and user ids become text, a prefix goes in
 * front; or why it cannot. mapMessage and the mapping's default check share it.
 */
function fieldValue(field: EventField | undefined, source: ValueSource, value: unknown, at = describe(source)): { value: unknown } | { why: string } {
  const prefix = prefixOf(source);
  if (field === 'id' || field === 'userId' || prefix !== undefined) {
    const why = notAnIdentifier(value, at);
    if (why) return { why };
  }
  const text = identifier(value);
  return { value: prefix !== undefined ? `${prefix}${text}` : field === 'id' || field === 'userId' ? text : value };
}

/**
 * Applies a mapping to a parsed message. Pure: the result is the event as
 * POST /v1/events would take it, or every problem found, located at the
 * mapping field and the message path it read.
 */
export function mapMessage(mapping: EventMapping, message: unknown): Result<IncomingEvent> {
  const issues: DomainIssue[] = [];
  const event: Record<string, unknown> = {};
  const take = (field: EventField, source: ValueSource | undefined) => {
    if (source === undefined) return;
    const value = resolve(source, message);
    if (value === MISSING) {
      if (field !== 'occurredAt') issues.push({ path: field, message: `nothing at ${describe(source)} in the message` });
      return;
    }
    const taken = fieldValue(field, source, value);
    if ('why' in taken) issues.push({ path: field, message: taken.why });
    else event[field] = taken.value;
  };
  take('id', mapping.id);
  take('type', mapping.type);
  take('userId', mapping.userId);
  take('occurredAt', mapping.occurredAt);

  const properties: Record<string, unknown> = {};
  if (mapping.copyProperties !== undefined) {
    const copied = readPath(message, mapping.copyProperties);
    if (typeof copied === 'object' && copied !== null && !Array.isArray(copied)) Object.assign(properties, copied);
    else issues.push({ path: 'properties', message: `no object at ${mapping.copyProperties} in the message` });
  }
  for (const [name, source] of Object.entries(mapping.properties)) {
    const value = resolve(source, message);
    if (value === MISSING) continue;
    const taken = fieldValue(undefined, source, value);
    if ('why' in taken) issues.push({ path: `properties.${name}`, message: taken.why });
    else properties[name] = taken.value;
  }
  event.properties = properties;

  const parsed = IncomingEvent.safeParse(event);
  if (parsed.success && issues.length === 0) return ok(parsed.data);
  // Every problem at once: the schema's too, but not again for a field already refused above (it is absent from `event`).
  const refused = new Set(issues.map((i) => i.path.split('.')[0]));
  const schemaIssues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return fail([...issues, ...schemaIssues.filter((i) => !refused.has(i.path.split('.')[0]) || (i.path.startsWith('properties') && !refused.has(i.path)))]);
}

/** Fatal: a byte that is not UTF-8 would otherwise become U+FFFD, and two different ids one. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON body of a message, or the reason it has none. */
export function parseMessageBody(body: Uint8Array): Result<unknown> {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return fail([{ path: '', message: 'the message is not UTF-8 text (JSON must be)' }]);
  }
  let value: unknown;
  try {
    // No reviver: V8 applies one recursively, and a message nested some thousands of levels deep then threw a
    // RangeError, dead-lettered as "not JSON" instead of too deep. JSON.parse itself is not recursive, and makes a
    // "__proto__" key an own property (it sets no prototype), looked for below.
    value = JSON.parse(text) as unknown;
  } catch (err) {
    return fail([{ path: '', message: `the message is not JSON (${(err as Error).message})` }]);
  }
  // The bound of an HTTP body (MAX_JSON_DEPTH), said first as over HTTP: what is copied from the message is stored and signalled as well.
  const tooDeep = tooDeepPath(value);
  if (tooDeep) return fail([{ path: formatPath('', tooDeep), message: `the message ${TOO_DEEP_MESSAGE}` }]);
  // As POST /v1/events: a "__proto__" or "constructor.prototype" key could poison objects built from the message.
  if (mayHoldForbiddenKey(text) && holdsForbiddenKey(value)) return fail([{ path: '', message: FORBIDDEN_KEY_MESSAGE }]);
  // As POST /v1/events: JSON.parse keeps the last of two values for one key, which the sender may not have meant.
  const duplicate = duplicateKeyPath(text);
  if (duplicate) {
    const key = JSON.stringify(String(duplicate[duplicate.length - 1]));
    return fail([{ path: formatPath('', duplicate), message: `the key ${key} appears twice in one object; JSON keeps only the last, so Kairos takes neither (as over HTTP)` }]);
  }
  // As POST /v1/events: JSON.parse rounds a whole number past 2^53 (two order numbers read as one), with the same scan
  // and words; exactly 2^53, fractions, exponents and the digits JSON itself writes for a double are kept.
  const big = unsafeIntegerLiteral(text);
  return big ? fail([{ path: formatPath('', big.path), message: writeItAsString(big.literal) }]) : ok(value);
}

const FORBIDDEN_KEY_MESSAGE = 'the message holds a "__proto__" or "constructor.prototype" key, which Kairos does not take (as over HTTP)';

/**
 * The gate of secure-json-parse 4 (what Fastify, so POST /v1/events, parses
 * with), copied since it is no dependency of Kairos itself: a `"__proto__"`
 * or `"constructor"` key, each letter also as a `\u` escape, which JSON.parse
 * turns into the same key. Only the value of a text it matches is walked
 * for them (holdsForbiddenKey).
 */
const SUSPECT_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR = /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

const mayHoldForbiddenKey = (text: string): boolean => SUSPECT_PROTO.test(text) || SUSPECT_CONSTRUCTOR.test(text);

const own = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/**
 * Whether a parsed message has, at any depth, an object with a `__proto__`
 * key, or a `constructor` key holding an object with a `prototype` key (as
 * secure-json-parse refuses). A walk with a stack of its own, not recursion:
 * the value may nest as deep as the text did.
 */
function holdsForbiddenKey(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
      continue;
    }
    const object = next as Record<string, unknown>;
    if (own(object, '__proto__')) return true;
    if (own(object, 'constructor')) {
      const c: unknown = object['constructor'];
      if (typeof c === 'object' && c !== null && own(c, 'prototype')) return true;
    }
    for (const key of Object.keys(object)) pending.push(object[key]);
  }
  return false;
}
