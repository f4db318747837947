import { z } from 'zod';
import { NatsSource, RabbitMqSource, SourceDefinition } from '../../ingest/source-definition';

export { SourceDefinition };

/**
 * PUT /v1/sources/{key}'s body as documented: a source definition whose `key` may be left out (the path names
 * it; if given, it must be that one). The handler parses SourceDefinition with the path's key put in.
 */
export const ReplaceSourceBody = z.discriminatedUnion('broker', [RabbitMqSource.partial({ key: true }), NatsSource.partial({ key: true })]);

export const SourceView = z.object({
  key: z.string(),
  version: z.number().int().describe('Bumped by every PUT; every API instance restarts the consumer on a new version.'),
  state: z
    .enum(['consuming', 'connecting', 'disabled', 'invalid', 'removed'])
    .describe(
      "This API instance's consumer: consuming, connecting (or reconnecting) to the broker, disabled (enabled: false), invalid (the stored definition no longer parses: not consumed, shown as 0 in kairos_source_up while enabled), removed (in the answer to DELETE: no longer consumed).",
    ),
  lastError: z
    .string()
    .nullable()
    .describe(
      "While connecting: why this instance's last attempt to consume failed, in the broker's words (a queue it may not use, a subject another stream holds, the broker down). While consuming: a trouble the consumer still has (a RabbitMQ connection blocked by an alarm, a message redelivered 10 or more times in the last minute). While invalid: the problems, at their paths, of the stored definition this version of Kairos no longer accepts (stored before a stricter check, or by a newer version). Null otherwise.",
    ),
  definition: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SourceView = z.infer<typeof SourceView>;

export const SourceList = z.object({ sources: z.array(SourceView) });
