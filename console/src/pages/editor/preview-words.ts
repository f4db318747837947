import { dateTime } from '../../ui/clock';
import { rewardName } from '../user/reward-words';

/**
 * What a previewed action would do, in words ("250 points from pool
 * loyalty", "a coupon from pool welcome", "push message welcome-back"),
 * read from the action as the preview resolved it; an action of a kind this
 * does not know is shown as its JSON, so nothing is hidden.
 */
export function previewActionWords(action: Record<string, unknown>): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const pool = text(action.pool);
  const fromPool = pool ? ` from pool ${pool}` : '';
  switch (action.type) {
    case 'points':
    case 'credit':
      return `${rewardName({ kind: action.type, amount: num(action.amount), currency: text(action.currency) })}${fromPool}`;
    case 'coupon':
      return `a coupon${fromPool}${action.unlessHolding === true ? ' (unless the user holds one of it)' : ''}`;
    case 'message':
      return `${text(action.channel) ?? ''} message ${text(action.template) ?? ''}`.trim();
    case 'webhook':
      return `webhook to ${text(action.url) ?? '?'}`;
    default:
      return JSON.stringify(action);
  }
}

/**
 * A message the preview gives a `notBefore`: it waits out quiet hours, and
 * what runs after it in its group, and the state's transitions, wait with
 * it. The time is the browser's, with its zone said, as every time in the
 * console: the API's UTC instant read as a clock time looks an hour or more
 * off the quiet hours the operator typed in the campaign's zone.
 */
export function previewWaitWords(notBefore: string): string {
  const at = new Date(notBefore);
  const until = Number.isNaN(at.getTime()) ? notBefore : dateTime(at);
  return `waits out quiet hours until ${until}; the steps after it and the state's transitions wait with it`;
}

/** The body a webhook step would POST: no body (or null) posts `{}`, as the sender does. */
export function previewBodyText(action: Record<string, unknown>): string {
  return JSON.stringify(action.body ?? {});
}
