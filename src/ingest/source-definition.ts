import { z } from 'zod';
import { WellFormedString } from '../domain/storable';
import { EventMapping } from './event-mapping';

export const SourceKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _');

/** A name RabbitMQ or NATS accepts for a queue, stream, exchange or durable consumer. */
const BrokerName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ -');

/** A JetStream stream or consumer name: NATS refuses `.` (and `*`, `>`, spaces) in them. */
const NatsName = BrokerName.refine((n) => !n.includes('.'), { error: 'NATS stream and consumer names cannot contain "."; use - or _' });

/** A NATS subject: tokens separated by dots, `*` and a final `>` allowed. */
const Subject = z
  .string()
  .min(1)
  .max(255)
  .regex(/^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$|^>$/, 'a NATS subject such as orders.paid or orders.>');

/**
 * Why a new source may not read `subject`, or null. nats-server refuses a
 * stream subject that can match its own API subjects (`$JS.>`, `$JSC.>`,
 * `$NRG.>`, `$SYS.>`; `checkStreamCfg`, error 10052), and `>` outright,
 * unless the stream is `no_ack`: such a stream confirms no publish, so no
 * dead letter either. A literal token here never starts with `$`, so that is
 * any subject starting with a wildcard: `>`, `*.>`, `*.paid`; and a lone `*`,
 * which the server takes, but not its dead letters' `*.dlq`. Refused when a
 * source is created or replaced, not when a stored one is read: servers
 * before 2.10.17 (`>`) and 2.10.28 / 2.11.2 (a leading `*`) took them, and
 * a source stored then keeps being consumed.
 */
export function subjectProblem(subject: string): string | null {
  return /^[*>](\.|$)/.test(subject)
    ? "JetStream refuses a stream on a subject whose first token is a wildcard (>, *.paid, or *, whose dead letters go to *.dlq): it can match the server's own API subjects ($JS.…, $SYS.…). Start with a literal token, such as shop.*.paid or shop.>"
    : null;
}

/** How many messages a source works on at once, and how many the broker may hand it ahead. */
const Flow = {
  concurrency: z.number().int().min(1).max(64).default(4).describe("Lanes storing batches at once; a user's messages all take one lane, so they are stored in the order received."),
  prefetch: z.number().int().min(1).max(5000).default(200).describe('Unacknowledged messages the broker may hand this source.'),
  maxBatch: z.number().int().min(1).max(1000).default(100).describe('Messages stored in one transaction, when that many are waiting (fewer when their properties would pass MAX_BODY_BYTES; one at least).'),
};

export const RabbitMqSource = z
  .object({
    key: SourceKey,
    broker: z.literal('rabbitmq'),
    enabled: z.boolean().default(true),
    // RabbitMQ refuses to declare amq.* names (ACCESS_REFUSED): knowable now, so a 400 at the path rather than a source that never consumes.
    // That holds for the dead-letter exchange and queue made from the name too: `amq` gives amq.dlx and amq.dlq.
    queue: BrokerName.refine((q) => !q.startsWith('amq.'), { error: 'names starting "amq." are reserved by RabbitMQ for its own queues; choose another' })
      .refine((q) => q.startsWith('amq.') || ![deadLetterExchange(q), deadLetterQueue(q)].some((n) => n.startsWith('amq.')), {
        error: (issue) =>
          `its dead-letter exchange and queue would be ${deadLetterExchange(String(issue.input))} and ${deadLetterQueue(String(issue.input))}, and names starting "amq." are reserved by RabbitMQ (it refuses to declare them); choose another`,
      })
      .describe(
      'Declared durable if absent, with `<queue>.dlx` as its dead-letter exchange; a queue that exists is consumed as it is.',
    ),
    bind: z
      .object({
        exchange: BrokerName,
        // Stored in jsonb (no NUL, no lone surrogate) and sent as an AMQP short string: 255 bytes, not characters.
        routingKey: WellFormedString.refine((k) => Buffer.byteLength(k, 'utf8') <= 255, { error: "at most 255 bytes in UTF-8 (AMQP's limit for a routing key)" }).default('#'),
      })
      .strict()
      .optional()
      .describe('Binds the queue to an existing topic exchange.'),
    ...Flow,
    mapping: EventMapping,
  })
  .strict();
export type RabbitMqSource = z.infer<typeof RabbitMqSource>;

export const NatsSource = z
  .object({
    key: SourceKey,
    broker: z.literal('nats'),
    enabled: z.boolean().default(true),
    // NATS refuses these with '.' (and the broker name's other characters are fine): a 400 now, not a source that never consumes.
    stream: NatsName.describe('A JetStream stream; created (file storage, 2 min duplicate window) if absent.'),
    subject: Subject.describe('The subjects consumed; dead letters go to `<message subject>.dlq`.'),
    durable: NatsName.optional().describe('The durable pull consumer; default `kairos-<key>`.'),
    ...Flow,
    mapping: EventMapping,
  })
  .strict();
export type NatsSource = z.infer<typeof NatsSource>;

/** A source of events beyond HTTP: a broker, where to read, how hard, and how a message becomes an event. */
export const SourceDefinition = z.discriminatedUnion('broker', [RabbitMqSource, NatsSource]);
export type SourceDefinition = z.infer<typeof SourceDefinition>;

/** A stored source: its definition and a version that changes with every update. */
export interface StoredSource {
  key: string;
  version: number;
  definition: SourceDefinition;
}

export const natsDurable = (s: NatsSource): string => s.durable ?? `kairos-${s.key}`;
export function deadLetterExchange(queue: string): string {
  return `${queue}.dlx`;
}
export function deadLetterQueue(queue: string): string {
  return `${queue}.dlq`;
}
