import { z } from 'zod';
import { AddressableId } from '../../domain/storable';
import { queryCount } from '../common/query-count';
import { MAX_REWARDS_CURSOR_LENGTH } from './rewards-cursor';

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

/**
 * `?limit=`: a support desk shows a user with thousands of rewards without loading them all, and pages back
 * with `before`; `?causedBy=`: what one event caused (what cancelling it takes back), without the rest.
 */
export const UserRewardsQuery = z
  .object({
    limit: queryCount(1000)
      .optional()
      .describe(
        'Only the newest this many rewards (of those `causedBy` and `before` leave; still listed oldest first); default: all of them. `total` and the balances count all. When older ones remain, the answer has `next`.',
      ),
    before: z
      .string()
      .min(1)
      .max(MAX_REWARDS_CURSOR_LENGTH)
      .optional()
      .describe('The `next` of a previous answer: only rewards issued before the oldest it listed, to page back with `limit`.'),
    causedBy: AddressableId.optional().describe('An event id: only the rewards it helped cause (their `causedBy` holds it), which cancelling it reclaims.'),
  })
  .strict();
export type UserRewardsQuery = z.infer<typeof UserRewardsQuery>;

/** GET /v1/users/:id/rewards (API.md): the user's rewards (every one unless the query narrows it) and the balances, read in one snapshot. */
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
  total: z
    .number()
    .int()
    .describe('How many rewards the user has, every one: `limit`, `before` and `causedBy` choose what `rewards` lists, never what `total` (nor the balances) counts.'),
  balances: z.object({ points: z.number(), credit: z.record(z.string(), z.number()).describe('By currency.') }),
  next: z
    .string()
    .optional()
    .describe('Only when `limit` left older rewards out (of those asked for): pass it as `before`, with the same `limit` and `causedBy`, for the ones before them.'),
});
