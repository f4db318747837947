/** What a jsonb column holds and what the driver gives back from one: JSON, nothing else. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * The JSON an object is stored as: what a jsonb column will hold and give
 * back (JSON.stringify drops undefined members; dates become text).
 */
export function storedJson(value: object): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/**
 * An object a repository only writes, as its JSON text: whatever the caller
 * holds (template data, say), unknown values included. Read back, it is a
 * JsonObject.
 */
export interface JsonInput {
  readonly [key: string]: unknown;
}
