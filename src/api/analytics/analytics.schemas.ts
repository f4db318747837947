import { z } from 'zod';
import { epochMicroseconds, StorableTimestamp } from '../../domain/storable';
import { VersionText } from '../common/version-text';

/** `?version=3`: only journeys that entered with that version. Query values arrive as text. */
const VersionParam = VersionText.optional()
  .describe('Only journeys that entered with this campaign version (default: all versions).');

export const FunnelQuery = z.object({ version: VersionParam }).strict();

export const IntervalsQuery = z
  .object({
    from: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'The state timed from: one a path leaves. Not `(exited)`, nor a state that is an end state in every version asked about (a 400): a path ends there, so no later arrival is by the same path.',
      ),
    to: z.string().min(1).max(200).describe('The state timed to (`(exited)` allowed; may equal `from`: time between visits).'),
    version: VersionParam,
    since: StorableTimestamp.optional().describe('Only moves that arrived in `from` at or after this instant (default: all time); the fewer, the cheaper the answer.'),
    until: StorableTimestamp.optional().describe('Only moves that arrived in `from` before this instant (default: no bound).'),
  })
  .strict()
  .superRefine((q, ctx) => {
    // zod runs this refinement even when a bound failed its own check (a format or range issue does not abort the
    // object), with the bound's text as sent: compare only two bounds that are instants, so a malformed one is a 400
    // at its own name alone (never a throw, a 500).
    if (q.since === undefined || q.until === undefined || !StorableTimestamp.safeParse(q.since).success || !StorableTimestamp.safeParse(q.until).success) return;
    if (epochMicroseconds(q.until) <= epochMicroseconds(q.since)) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must be after since (${q.since})` });
    }
  });

export const FunnelResponse = z.object({
  states: z.array(
    z.object({
      state: z.string(),
      entered: z.number().int().describe('Distinct users who ever arrived in the state (a user counts once however often).'),
      current: z
        .number()
        .int()
        .describe('Journeys with a path in the state now: arrivals minus departures per journey (over all versions, the sum of each version\'s); end states and `(exited)` are always 0.'),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string().describe('The state left, or `(entry)` for entering the campaign.'),
      to: z.string().describe('The state reached, or `(exited)` when exitOn or an operator ended the path.'),
      count: z.number().int().describe('Transitions along the edge, every one counted.'),
    }),
  ),
});
export type FunnelResponse = z.infer<typeof FunnelResponse>;

export const IntervalsResponse = z.object({
  count: z.number().int().describe('Arrivals into `to` that followed an arrival into `from` by the same path of the journey (rows logged before paths were: the same journey); a pair across a retention fold that deleted an arrival into either is left out.'),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  p99Ms: z.number().nullable().describe('Percentiles (percentile_cont, interpolated) in milliseconds; null when count is 0.'),
});
export type IntervalsResponse = z.infer<typeof IntervalsResponse>;
