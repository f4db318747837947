/**
 * The user id the desk looks up for what was typed: exactly that, spaces
 * included. Kairos takes a user id as sent (` u-42` and `u-42` are two
 * users), so trimming would show another user, one support might then
 * cancel an event of. Null when nothing was typed.
 */
export function lookedUpId(typed: string): string | null {
  return typed === '' ? null : typed;
}

/** What the field says under it when the id typed starts or ends with white space, which no one sees in the box. */
export function spacesHint(typed: string): string | null {
  if (typed === '' || typed.trim() === typed) return null;
  const where = typed.trim() === '' ? 'is only white space' : /^\s/.test(typed) && /\s$/.test(typed) ? 'starts and ends with white space' : /^\s/.test(typed) ? 'starts with white space' : 'ends with white space';
  return `This id ${where}: it is looked up as typed, ${JSON.stringify(typed)}.`;
}
