export interface TopUpFields {
  budget: string;
  codes: string;
  pattern: string;
  count: string;
}

/** The codes typed, one a line, trimmed, blank lines left out; with the line (from 1) each was on. */
export function codeLines(text: string): Array<{ code: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((c, i) => ({ code: c.trim(), line: i + 1 }))
    .filter((c) => c.code !== '');
}

/** The request the form's fields spell: only what was filled in. */
export function topUpBody(id: string, fields: TopUpFields) {
  const codes = codeLines(fields.codes).map((c) => c.code);
  return {
    id,
    ...(fields.budget.trim() ? { budget: Number(fields.budget) } : {}),
    ...(codes.length > 0 ? { codes } : {}),
    ...(fields.pattern.trim() ? { generate: { pattern: fields.pattern.trim(), count: Number(fields.count) } } : {}),
  };
}

/**
 * Where in the form an API problem points, in the form's words: the API
 * names a code by its place in the list it was sent (`codes[12]`), the
 * operator by the line they pasted it on ("line 13" when a blank line came
 * before). `codesText` is the text that was sent.
 */
export function topUpFieldName(path: string, codesText: string): string {
  const code = /^codes\[(\d+)\]$/.exec(path);
  if (code) {
    const sent = codeLines(codesText)[Number(code[1])];
    return sent ? `line ${sent.line}` : path;
  }
  return FIELDS[path] ?? path;
}

/** A message naming another code by its place in the list sent ("repeats codes[0]"), with that place as the line it was pasted on. */
export function topUpMessage(message: string, codesText: string): string {
  return message.replace(/\bcodes\[\d+\]/g, (path) => topUpFieldName(path, codesText));
}

const FIELDS: Record<string, string> = {
  budget: 'Add to budget',
  codes: 'Codes to add',
  generate: 'Generate',
  'generate.pattern': 'Pattern',
  'generate.count': 'How many',
};
