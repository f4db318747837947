/**
 * Edits inside a state's action tree (CAMPAIGNS.md, "Actions and rewards"):
 * a group's steps are actions or nested groups, each with its own strategy.
 * A step is named by its index path from the state's top group (`[1, 0]`:
 * the first step of the group that is the second step), the same indexes
 * the compiler's paths use (`actions.steps[1].steps[0]`). Pure.
 */
import type { ActionGroup, Step } from '../campaign/schema';
import { plainDecimal } from '../plain-decimal';

export const isGroup = (s: Step): s is ActionGroup => Array.isArray((s as { steps?: unknown }).steps);

/** The group at `path` (the top group for []), or null when the path does not name a group. */
export function groupAt(top: ActionGroup, path: readonly number[]): ActionGroup | null {
  let g: ActionGroup = top;
  for (const i of path) {
    const s = g.steps[i];
    if (!s || !isGroup(s)) return null;
    g = s;
  }
  return g;
}

/**
 * The tree with the group at `path` replaced by `edit(group)`. A nested group
 * left without steps is removed from its parent (the schema needs one step);
 * the top group may be left empty: the caller then drops `actions`.
 */
export function editGroup(top: ActionGroup, path: readonly number[], edit: (g: ActionGroup) => ActionGroup): ActionGroup {
  if (path.length === 0) return edit(top);
  const [head, ...rest] = path;
  const child = top.steps[head];
  if (!child || !isGroup(child)) return top;
  const next = editGroup(child, rest, edit);
  const steps = next.steps.length === 0 ? top.steps.filter((_, i) => i !== head) : top.steps.map((s, i) => (i === head ? next : s));
  return { ...top, steps };
}

/** Replaces (or with undefined removes) the step at `path`. */
export function setStep(top: ActionGroup, path: readonly number[], step: Step | undefined): ActionGroup {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1];
  return editGroup(top, parent, (g) => ({ ...g, steps: step === undefined ? g.steps.filter((_, i) => i !== index) : g.steps.map((s, i) => (i === index ? step : s)) }));
}

export function addStep(top: ActionGroup, groupPath: readonly number[], step: Step): ActionGroup {
  return editGroup(top, groupPath, (g) => ({ ...g, steps: [...g.steps, step] }));
}

/** "2.1" for [1, 0]: how people count steps. */
export const stepLabel = (path: readonly number[]) => path.map((i) => i + 1).join('.');

/**
 * An amount field's text as the definition holds it (CAMPAIGNS.md: "a number
 * or an expression"): a plain number as a number, so `50` stays `amount: 50`
 * in the JSON; anything else as the expression typed; nothing for empty.
 */
export function amountFromText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return PLAIN_NUMBER.test(t) ? Number(t) : text;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * An amount as its field writes it: a number in plain digits, never in
 * exponent form (1e-7 as 0.0000001: the field would read `1e-7` back as an
 * expression), an expression as it is, nothing as empty.
 */
export function amountWritten(amount: unknown): string {
  if (amount === undefined) return '';
  return typeof amount === 'number' ? plainDecimal(amount) : String(amount);
}

/** A plain number's digits without what does not change it: `-007.50` as `-7.5`, `-0.0` as `0`. */
function decimalDigits(plain: string): string {
  const negative = plain.startsWith('-');
  const [whole, fraction = ''] = plain.replace(/^-/, '').split('.');
  const kept = fraction.replace(/0+$/, '');
  const body = `${whole.replace(/^0+(?=\d)/, '')}${kept ? `.${kept}` : ''}`;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * The text an amount field shows: what was typed, while it reads as exactly
 * the amount stored, else the stored amount written out (an undo, the JSON
 * tab). Typed key by key, `1.05` passes through `1.0`, which stores 1:
 * written out as `1` there, the next key made it `15`. Text whose digits a
 * number does not keep (`12345678901234567890`) shows what is stored.
 */
export function amountText(typed: string, stored: unknown): string {
  const read = amountFromText(typed);
  const written = amountWritten(stored);
  if (typeof read === 'number') return typeof stored === 'number' && decimalDigits(typed.trim()) === decimalDigits(written) ? typed : written;
  return read === stored ? typed : written;
}
