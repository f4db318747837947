/**
 * The checks on what a reward gives, made where it is computed: literal
 * amounts and currencies when a campaign compiles, expression amounts when the
 * machine evaluates them. The reward activity runs the same check on what it
 * is handed, so a command from anywhere else cannot spend a wrong amount.
 */
import type { RewardAction, RewardRefusal } from './contract';

/** ISO 4217: three capital letters. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * The most one points or credit reward gives. An amount is a JSON number
 * (a double) from the campaign to the API's answers: balances add rewards up,
 * and two rewards near the largest double would add up to one that JSON
 * cannot carry (the API answered `"points": null`). A trillion leaves room
 * for any real reward, in any currency, and keeps sums far below that.
 */
export const MAX_REWARD_AMOUNT = 1e12;

const largest = MAX_REWARD_AMOUNT.toLocaleString('en-US');

/** What a literal amount above MAX_REWARD_AMOUNT is told when a campaign is saved. */
export const TOO_LARGE_AMOUNT = `at most ${largest}, the most one reward gives`;

/** Why `value` cannot be given as points or credit, or null when it can (a finite number above 0). */
export function amountProblem(value: unknown): 'notANumber' | 'nothingToGive' | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'notANumber';
  return value <= 0 ? 'nothingToGive' : null;
}

/**
 * An amount an expression computed, without the noise of binary floating
 * point: 0.1 * 3 is 0.30000000000000004, and the ledger (numeric), the pool's
 * budget and the user's balance would carry that tail for ever. A double
 * holds 15 significant decimal digits faithfully, so the amount is rounded
 * to them: 0.3 here, and anything a campaign can mean (down to 10^-3 at the
 * largest reward) stays as computed.
 */
export function roundedAmount(value: number): number {
  return Number(value.toPrecision(15));
}

/** Null when the action may be issued as it is; else why not. */
export function rewardActionProblem(action: RewardAction): RewardRefusal | null {
  switch (action.type) {
    case 'coupon':
      return null;
    case 'points':
    case 'credit':
      if (amountProblem(action.amount) !== null) return { refused: 'InvalidAmount', message: `amount must be a finite number > 0, got ${action.amount}` };
      if (action.amount > MAX_REWARD_AMOUNT) return { refused: 'InvalidAmount', message: `amount ${action.amount} is more than one reward gives (at most ${largest})` };
      if (action.type === 'credit' && !CURRENCY_CODE.test(action.currency)) return { refused: 'InvalidCurrency', message: `not a currency code: ${action.currency}` };
      return null;
    default:
      // A command that came over the wire may carry anything.
      return { refused: 'UnknownRewardType', message: `not a reward action: ${String((action as { type?: unknown }).type)}` };
  }
}
