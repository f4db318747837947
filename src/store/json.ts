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
