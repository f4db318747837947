import { z } from 'zod';
import { queryCount } from '../common/query-count';
import { HELD_CURSOR_PATTERN, isHeldCursor } from './held-cursor';

export const HeldStepsQuery = z
  .object({
    limit: queryCount(100, 'expected a page size from 1 to 100')
      .optional()
      .describe('Journeys per page (default 25, at most 100); each lists all its held steps.'),
    cursor: z
      .string()
      // The pattern (kept for the OpenAPI document) aborts: zod would run the refine after it, and one bad cursor read as two problems.
      .regex(HELD_CURSOR_PATTERN, { message: 'expected the `next` of the previous page', abort: true })
      .refine(isHeldCursor, 'expected the `next` of the previous page')
      .optional()
      .describe('The `next` of the previous page.'),
  })
  .strict();

export const HeldStepsResponse = z.object({
  held: z.array(
    z.object({
      campaign: z.string(),
      userId: z.string(),
      workflowId: z.string(),
      runId: z.string().describe('The run holding the step: send it, with `since`, in the retry or skip to decide this hold and no later one.'),
      pathId: z.string(),
      stepId: z.string(),
      state: z.string().describe('The state whose action is held.'),
      summary: z.string(),
      error: z.string().describe('Why the step failed for good.'),
      since: z.string().describe('When the step was held (this hold: a step held again has a later one).'),
      temporalUrl: z.string().nullable(),
    }),
  ),
  unanswered: z
    .array(z.object({ campaign: z.string(), userId: z.string(), workflowId: z.string(), temporalUrl: z.string().nullable() }))
    .describe(
      "Journeys of this page that visibility lists as holding a step but that did not answer the question which (no worker polling, or one too busy): their steps are not in `held`, and the page is not empty when they are here.",
    ),
  next: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});
export type HeldStepsResponse = z.infer<typeof HeldStepsResponse>;
