import { z } from 'zod';
import { queryCount } from '../common/query-count';
import { isCursor, MAX_CURSOR_LENGTH } from './user-events-cursor';

export const UserEventsQuery = z
  .object({
    limit: queryCount(200, 'expected a page size from 1 to 200')
      .optional()
      .describe('Events per page (default 50, at most 200); fewer when their properties weigh more than 4 MB in all: follow `next`.'),
    cursor: z
      .string()
      // The bounds abort: zod would run the refine after them, and one bad cursor read as two problems.
      .min(1, { abort: true })
      .max(MAX_CURSOR_LENGTH, { abort: true })
      .refine(isCursor, 'not a cursor this API gave out; pass the `next` of the previous answer')
      .optional()
      .describe('The `next` of the previous page.'),
  })
  .strict();

export const UserEventsResponse = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      occurredAt: z.string(),
      receivedAt: z.string(),
      properties: z.record(z.string(), z.unknown()),
      cancelledAt: z.string().nullable().describe('When it was cancelled (POST /v1/events/{id}/cancel); null if it counts.'),
      cancelReason: z.string().nullable(),
    }),
  ),
  next: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page.'),
});
export type UserEventsResponse = z.infer<typeof UserEventsResponse>;
