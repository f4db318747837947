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
