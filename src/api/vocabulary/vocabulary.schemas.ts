import { z } from 'zod';
import { queryCount } from '../common/query-count';

/** How many recent events and stored profiles to read; query values arrive as text. */
export const VocabularyQuery = z
  .object({
    sample: queryCount(10_000)
      .optional()
      .describe('Events (newest first) and profiles to read for the names; default 1000, at most 10000.'),
  })
  .strict();

export const VocabularyResponse = z.object({
  eventTypes: z
    .array(
      z.object({
        type: z.string(),
        count: z.number().int().describe('Events of this type among the sampled ones.'),
        properties: z
          .array(z.string())
          .describe('Top-level property keys seen on them (`event.<key>`), sorted; at most 200, and the first 100 of each event (the shortest names first, as PostgreSQL orders them).'),
        truncated: z.boolean().describe('More keys were seen than listed, or an event had more than 100 (the rest of which were not read).'),
      }),
    )
    .describe('Event types among the latest `sample` events received, most frequent first.'),
  profileAttributes: z
    .array(z.string())
    .describe('Attribute keys (`user.<key>`) of up to `sample` stored profiles, sorted; at most 500, and the first 100 of each profile (the shortest names first, as PostgreSQL orders them).'),
  profileAttributesTruncated: z.boolean().describe('More attribute keys were seen than listed, or a profile had more than 100 (the rest of which were not read).'),
  aggregateFunctions: z.array(z.string()).describe("The compiler's aggregate functions: count, sum, min, max, avg, distinct."),
  functions: z.array(z.string()).describe('Every function an expression may call (the aggregates included), from the compiler.'),
  facts: z.array(z.string()).describe('Facts every condition can read whatever the data holds: event.type, event.id, event.occurredAt, journey.*.'),
  sample: z.number().int().describe('The sample size used.'),
});
export type VocabularyResponse = z.infer<typeof VocabularyResponse>;
