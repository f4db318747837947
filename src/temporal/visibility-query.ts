/**
 * A string literal for a Temporal visibility query. The list filter is a SQL
 * dialect whose string literals take backslash escapes, so a user id with a
 * quote stays one literal instead of changing the query.
 */
export function visibilityString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Whether visibility can match this value exactly. Values holding a double
 * quote or a backslash parse, but match nothing on the dev server's store
 * (tried: escaped, single-quoted, STARTS_WITH); callers look those up another way.
 */
export function visibilityMatches(value: string): boolean {
  return !/["\\]/.test(value);
}
