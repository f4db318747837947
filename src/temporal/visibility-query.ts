/**
 * A string literal for a Temporal visibility query. The list filter is a SQL
 * dialect whose string literals take backslash escapes, so a user id with a
 * quote stays one literal instead of changing the query.
 */
export function visibilityString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Whether visibility can match this value exactly. On the dev server
 * (Temporal 1.29, tried with UserId and WorkflowId), a value holding a
 * double quote, a backslash, a TAB, a line feed, a carriage return or a
 * backspace parses but matches nothing (tried: escaped, single-quoted,
 * STARTS_WITH): Temporal writes such a character back out as a backslash
 * escape for its store. A `'` at either end is stripped, all of them, so
 * `UserId = "'ann'"` matches the user `ann`. The query goes through the
 * same parser on every store: every C0 control character and DEL is ruled
 * out with them, since describes are bounded and an id missed here is a
 * user whose journeys list empty (or another's) and whose running journeys
 * retention takes for ended. Callers look these up another way.
 */
export function visibilityMatches(value: string): boolean {
  if (value.startsWith("'") || value.endsWith("'")) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x22 /* " */ || c === 0x5c /* \ */) return false;
  }
  return true;
}
