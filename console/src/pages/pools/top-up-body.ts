/** The request the form's fields spell: only what was filled in. */
export function topUpBody(id: string, fields: { budget: string; codes: string; pattern: string; count: string }) {
  const codes = fields.codes
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    id,
    ...(fields.budget.trim() ? { budget: Number(fields.budget) } : {}),
    ...(codes.length > 0 ? { codes } : {}),
    ...(fields.pattern.trim() ? { generate: { pattern: fields.pattern.trim(), count: Number(fields.count) } } : {}),
  };
}
