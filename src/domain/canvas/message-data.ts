/**
 * A message step's `data` (CAMPAIGNS.md: template data, string values that
 * parse as expressions are evaluated) as the canvas edits it: named fields in
 * their order. Every edit answers the whole new object, in the same order;
 * no fields at all is no `data` (undefined), as a definition writes it.
 */
import { duplicateKeyPath, keyTwiceWords } from '../json-duplicate-keys';
import { unsafeIntegerLiteral, wholeNumberPast2To53 } from '../json-unsafe-integers';

export type MessageData = Record<string, unknown>;

/** A field's value as its text box shows it: strings as they are, anything else (a number, an object) as JSON. */
export const dataValueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const orUndefined = (data: MessageData): MessageData | undefined => (Object.keys(data).length === 0 ? undefined : data);

/** Adds an empty field with a name not yet taken (`field1`, `field2`, …). */
export function addDataField(data: MessageData | undefined): MessageData {
  const current = data ?? {};
  let n = 1;
  while (`field${n}` in current) n++;
  return { ...current, [`field${n}`]: '' };
}

/** Sets one field to text, keeping its place. */
export function setDataText(data: MessageData | undefined, key: string, text: string): MessageData {
  return { ...(data ?? {}), [key]: text };
}

/**
 * Sets one field from the text its box shows, keeping its place. A string
 * stays text. Any other value was shown as JSON, so its text is read back as
 * JSON: kept as text, an object would reach the template as a string (the
 * engine passes a non-string value as it is, and `{"a":1}` is no
 * expression), and nothing would say its kind changed. JSON that does not
 * read, or that JSON.parse would change (a key twice, a whole number past
 * 2^53, as the JSON tab refuses them), is refused with the reason.
 */
export function setDataValue(data: MessageData | undefined, key: string, text: string): { data: MessageData } | { problem: string } {
  const current = data ?? {};
  const wasString = !Object.prototype.hasOwnProperty.call(current, key) || typeof current[key] === 'string';
  if (wasString) return { data: setDataText(current, key, text) };
  const read = readJsonValue(text, current[key]);
  return 'problem' in read ? read : { data: { ...current, [key]: read.value } };
}

const kindWords = (value: unknown): string =>
  Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value === 'boolean' ? 'true or false' : `a ${typeof value}`;

function readJsonValue(text: string, was: unknown): { value: unknown } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { problem: `this field holds ${kindWords(was)}, edited as JSON: ${why} (text or an expression goes in double quotes: "user.firstName")` };
  }
  const twice = duplicateKeyPath(text);
  if (twice) return { problem: keyTwiceWords(twice[twice.length - 1]) };
  const rounded = unsafeIntegerLiteral(text);
  if (rounded) return { problem: wholeNumberPast2To53(rounded.literal) };
  return { value };
}

/** Drops one field; the last one gone means no `data`. */
export function removeDataField(data: MessageData | undefined, key: string): MessageData | undefined {
  const { [key]: _dropped, ...rest } = data ?? {};
  return orUndefined(rest);
}

/**
 * Renames a field in place. A blank name, or one another field has, is
 * refused with the reason (the object cannot hold two fields of one name,
 * and a silent merge would lose one).
 */
export function renameDataField(data: MessageData | undefined, from: string, to: string): { data: MessageData } | { problem: string } {
  const current = data ?? {};
  const name = to.trim();
  if (name === '') return { problem: 'a data field needs a name' };
  if (name !== from && Object.prototype.hasOwnProperty.call(current, name)) return { problem: `there is already a data field "${name}"` };
  return { data: Object.fromEntries(Object.entries(current).map(([k, v]) => [k === from ? name : k, v])) };
}
