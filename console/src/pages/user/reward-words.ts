import { amount, counted } from '../../ui/numbers';

/** What a reward is, as the ledger lists it (GET /v1/users/:id/rewards), or as much of it as a journey knows. */
export interface RewardFacts {
  kind: string;
  amount?: number;
  currency?: string;
  code?: string;
}

/**
 * A reward named as a support agent says it: "coupon WELCOME-10",
 * "1,000,000 points", "1 point", "12.5 EUR credit"; just the kind when the
 * amount is not known.
 */
export function rewardName(r: RewardFacts): string {
  switch (r.kind) {
    case 'coupon':
      return r.code ? `coupon ${r.code}` : 'coupon';
    case 'points':
      return r.amount === undefined ? 'points' : counted(r.amount, 'point');
    case 'credit':
      return r.amount === undefined ? `${r.currency ? `${r.currency} ` : ''}credit` : `${amount(r.amount)}${r.currency ? ` ${r.currency}` : ''} credit`;
    default:
      return r.kind;
  }
}
