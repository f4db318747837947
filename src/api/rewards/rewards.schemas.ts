import { z } from 'zod';
import { queryCount } from '../common/query-count';

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

/** `?limit=`: a support desk shows a user with thousands of rewards without loading them all. */
export const UserRewardsQuery = z
  .object({
    limit: queryCount(1000)
      .optional()
      .describe('Only the newest this many rewards (still listed oldest first); default: all of them. `total` and the balances count all.'),
  })
  .strict();

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
  total: z.number().int().describe('How many rewards the user has: more than `rewards` lists when `limit` cut the list.'),
  balances: z.object({ points: z.number(), credit: z.record(z.string(), z.number()).describe('By currency.') }),
});
