import { z } from 'zod';

export const PoolResponse = z.object({
  key: z.string(),
  kind: z.enum(['coupon', 'points', 'credit']),
  name: z.string().nullable(),
  currency: z.string().nullable(),
  perUserLimit: z.number().int().nullable(),
  validFor: z.string().nullable(),
  budget: z.number().nullable().describe('Null: unlimited. Coupon pools count coupons.'),
  used: z.number().describe('Issued and not reclaimed.'),
  left: z.number().nullable().describe('budget − used; null when unlimited.'),
  codes: z
    .object({ total: z.number().int(), issued: z.number().int(), left: z.number().int(), voided: z.number().int().describe('Codes of reclaimed coupons: never handed out again.') })
    .optional()
    .describe('Coupon pools only.'),
  createdAt: z.string(),
});
