import { z } from 'zod';
import { queryCount } from '../common/query-count';

export const LiveJourneysQuery = z
  .object({
    limit: queryCount(500)
      .optional()
      .describe('At most this many (default 50, at most 500).'),
  })
  .strict();

export const LiveJourneysResponse = z.object({
  journeys: z
    .array(
      z.object({
        userId: z.string(),
        workflowId: z.string(),
        version: z.number().int().describe('The version the journey entered with.'),
        state: z.string().describe('A waiting state it has a path in now (a journey with parallel paths is listed once per state).'),
        since: z.string().describe('When it last arrived in that state.'),
      }),
    )
    .describe("Latest arrivals first; the same count per state as the funnel's `current`."),
});
export type LiveJourneysResponse = z.infer<typeof LiveJourneysResponse>;
