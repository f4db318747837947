import { z } from 'zod';

export const RewardResponse = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  campaignKey: z.string(),
  campaignVersion: z.number().int(),
  userId: z.string(),
  stepId: z.string(),
  kind: z.enum(['coupon', 'points', 'credit']),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  code: z.string().nullable(),
  pool: z.string().nullable(),
  status: z.enum(['issued', 'redeemed', 'reclaimed', 'unreclaimable']),
  causedBy: z.array(z.string()),
  expiresAt: z.string().nullable(),
  redeemedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** GET /v1/users/:id/rewards (API.md): every reward of the user and the balances, read in one snapshot. */
export const UserRewardsResponse = z.object({
  rewards: z.array(
    z.object({
      id: z.string(),
      campaign: z.string(),
      kind: z.enum(['coupon', 'points', 'credit']),
      amount: z.number().optional(),
      currency: z.string().optional(),
      code: z.string().optional(),
      pool: z.string().optional(),
      status: z.enum(['issued', 'redeemed', 'reclaimed', 'unreclaimable']),
      causedBy: z.array(z.string()).describe('The event ids that caused it; cancelling one of them reclaims it.'),
      expiresAt: z.string().optional(),
      issuedAt: z.string(),
    }),
  ),
  balances: z.object({ points: z.number(), credit: z.record(z.string(), z.number()).describe('By currency.') }),
});
