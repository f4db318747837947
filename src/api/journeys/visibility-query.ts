/**
 * A string literal for a Temporal visibility query. The list filter is a SQL
 * dialect whose string literals take backslash escapes, so a user id with a
 * quote or a backslash stays one literal instead of changing the query.
 */
export function visibilityString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
