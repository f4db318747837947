import { z } from 'zod';
import { CouponCodeList, GeneratedCodes, MAX_POOL_BUDGET, TOO_LARGE_BUDGET } from '../../domain/campaign/schema';
import { refineWellFormedText } from '../../domain/storable';

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
  topUps: z
    .object({
      total: z.number().int().describe('Top-ups the pool took, in all.'),
      latest: z.array(
        z.object({
          id: z.string(),
          budgetAdded: z.number().nullable().describe('Null: this top-up added no budget.'),
          codesAdded: z.number().int(),
          at: z.string(),
        }),
      ),
    })
    .optional()
    .describe('One pool (GET /v1/pools/:key, and a top-up\'s answer) only: the newest 20 top-ups, newest first.'),
  createdAt: z.string(),
});

export type PoolResponse = z.infer<typeof PoolResponse>;

export const PoolTopUp = z
  .object({
    id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Names this top-up: sent again, the same id adds nothing (a retried request is safe). Without one, every request adds.'),
    budget: z
      .number()
      .finite()
      .positive()
      .max(MAX_POOL_BUDGET, TOO_LARGE_BUDGET)
      .optional()
      .describe("Added to the pool's budget: an amount (points, credit) or a number of coupons. Pools without a budget have nothing to add to."),
    codes: CouponCodeList.optional().describe('Coupon pools: codes to add, handed out after those the pool holds, in this order.'),
    generate: GeneratedCodes.optional().describe('Coupon pools: codes generated from a pattern, none equal to a code the pool holds.'),
  })
  .strict()
  .superRefine(refineWellFormedText)
  .superRefine((t, ctx) => {
    if (t.budget === undefined && t.codes === undefined && t.generate === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a top-up adds `budget`, `codes` or `generate`' });
    }
    if (t.codes && t.generate) ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give either `codes` or `generate`, not both' });
  })
  .describe('What to add to a pool.');
export type PoolTopUp = z.infer<typeof PoolTopUp>;

export const PoolTopUpResponse = z.object({
  applied: z.boolean().describe('False when a top-up with this id was applied before: nothing was added this time.'),
  pool: PoolResponse,
});
export type PoolTopUpResponse = z.infer<typeof PoolTopUpResponse>;
