/**
 * A message step's `data` (CAMPAIGNS.md: template data, string values that
 * parse as expressions are evaluated) as the canvas edits it: named fields in
 * their order. Every edit answers the whole new object, in the same order;
 * no fields at all is no `data` (undefined), as a definition writes it.
 */
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

/** Sets one field's text, keeping its place. */
export function setDataValue(data: MessageData | undefined, key: string, text: string): MessageData {
  return { ...(data ?? {}), [key]: text };
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
