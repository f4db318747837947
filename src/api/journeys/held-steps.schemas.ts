import { z } from 'zod';
import { queryCount } from '../common/query-count';

export const HeldStepsQuery = z
  .object({
    limit: queryCount(100, 'expected a page size from 1 to 100')
      .optional()
      .describe('Journeys per page (default 25, at most 100); each lists all its held steps.'),
    cursor: z.string().regex(/^\d{1,9}$/, 'expected the `next` of the previous page').optional().describe('The `next` of the previous page.'),
  })
  .strict();

export const HeldStepsResponse = z.object({
  held: z.array(
    z.object({
      campaign: z.string(),
      userId: z.string(),
      workflowId: z.string(),
      pathId: z.string(),
      stepId: z.string(),
      state: z.string().describe('The state whose action is held.'),
      summary: z.string(),
      error: z.string().describe('Why the step failed for good.'),
      since: z.string(),
      temporalUrl: z.string().nullable(),
    }),
  ),
  next: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});
export type HeldStepsResponse = z.infer<typeof HeldStepsResponse>;
