import { KairosApiError } from '../../api';
import { amount, counted } from '../../ui/numbers';

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
  // The form has no id field: the id is drawn by the form, one per top-up.
  id: "this form's top-up id",
  budget: 'Add to budget',
  codes: 'Codes to add',
  generate: 'Generate',
  'generate.pattern': 'Pattern',
  'generate.count': 'How many',
};

/** What a pool's budget counts, as much of a pool as names it: its kind, and a credit pool's currency. */
export interface PoolUnit {
  kind: 'coupon' | 'points' | 'credit';
  currency?: string | null;
}

/**
 * Budget as the pools table says it, grouped as the reader's locale groups
 * numbers and the noun agreeing: "1 coupon", "2,500 points", "12.5 EUR
 * credit" ("credit" alone when the pool names no currency).
 */
export function budgetWords(pool: PoolUnit, n: number): string {
  if (pool.kind === 'coupon') return counted(n, 'coupon');
  if (pool.kind === 'points') return counted(n, 'point');
  return `${amount(n)} ${pool.currency ? `${pool.currency} ` : ''}credit`;
}

/**
 * What a top-up will add, in words, asked before it is sent: a pool's budget
 * only grows (no route takes it back), so a typo of one zero stays. Its
 * numbers are grouped as the pools table groups them: the reader compares
 * the two.
 */
export function topUpSummary(pool: PoolUnit & { key: string; budget: number | null }, body: ReturnType<typeof topUpBody>): string {
  const parts: string[] = [];
  if (body.budget !== undefined) {
    const before = pool.budget ?? 0;
    parts.push(`${budgetWords(pool, body.budget)} of budget (${amount(before)} → ${amount(before + body.budget)})`);
  }
  if (body.codes) parts.push(counted(body.codes.length, 'code'));
  if (body.generate) parts.push(`${counted(body.generate.count, 'generated code')} (${body.generate.pattern})`);
  return `Add ${parts.length ? parts.join(' and ') : 'nothing'} to ${pool.key}? A top-up cannot be taken back.`;
}

/**
 * What a failed top-up means for the form. `appliedEarlier`: the API has a
 * top-up with this form's id that added something else (409
 * top_up_id_reused). The id is this form's alone, so that is an earlier
 * press whose answer was lost, and the fields were edited since: the earlier
 * one was added, and what the fields say now was not.
 */
export function topUpOutcome(error: unknown): 'appliedEarlier' | 'failed' {
  return error instanceof KairosApiError && error.status === 409 && error.code === 'top_up_id_reused' ? 'appliedEarlier' : 'failed';
}

/** What GET /v1/pools/:key says that the notice needs: the budget, and the newest top-ups with their ids. */
export interface PoolNow extends PoolUnit {
  key: string;
  budget: number | null;
  topUps?: { latest: Array<{ id: string; budgetAdded: number | null; codesAdded: number }> };
}

/**
 * Said when an earlier top-up of this form turns out to have been applied
 * (topUpOutcome): what it added, when the pool's newest top-ups still list
 * it, the budget it made, and that the fields as they are now were not
 * added. `pool` is null when the pool could not be read.
 */
export function earlierTopUpNotice(pool: PoolNow | null, id: string): string {
  const earlier = pool?.topUps?.latest.find((t) => t.id === id);
  const parts: string[] = [];
  if (pool && earlier?.budgetAdded) parts.push(`${budgetWords(pool, earlier.budgetAdded)} of budget`);
  if (earlier?.codesAdded) parts.push(counted(earlier.codesAdded, 'code'));
  const added = parts.length > 0 ? `: it added ${parts.join(' and ')}` : '';
  const budget = pool && pool.budget !== null ? ` (budget now ${amount(pool.budget)})` : '';
  return `Your earlier top-up with this form was applied${added}${budget}; its answer had not come back. What the fields say now was not added: check them, and Add adds them as a new top-up.`;
}
