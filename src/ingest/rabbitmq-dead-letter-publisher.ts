import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

/** Names a dead letter, so one the broker returns (routed nowhere) is recognised. */
export const DEAD_LETTER_ID_HEADER = 'x-kairos-dead-letter-id';

/**
 * Publishes a source's dead letters, confirmed, on a connection of the
 * source's own beside the consuming one, never on the consuming channel:
 * - RabbitMQ answers a publish it refuses (a user_id that is not the
 *   connection's user, an exchange deleted meanwhile, access refused) by
 *   closing the channel it came on. On the consuming channel that put back
 *   every delivery not acknowledged yet, which came again as duplicates,
 *   the refused one first, for ever. Here it fails that dead letter only
 *   (held and tried again), and the next one opens a new channel.
 * - During a memory or disk alarm the broker stops reading a connection
 *   once it publishes: on the consuming connection no ack went through
 *   either, and the source stopped draining its queue until the alarm
 *   ended. Here only the dead letters wait.
 */
export class DeadLetterPublisher {
  private channel: Promise<ConfirmChannel> | undefined;
  /** Ids of dead letters the broker returned as routed nowhere, noted by the channel's `return` before their confirm. */
  private readonly returned = new Set<string>();

  constructor(
    private readonly connection: ChannelModel,
    private readonly warn: (text: string) => void,
  ) {}

  /**
   * Publishes persistent and mandatory, and resolves once the broker has
   * the letter: `routed`, or `returned` when the exchange routed it to no
   * queue (a mandatory one comes back before its confirm). `options.headers`
   * must name the letter with DEAD_LETTER_ID_HEADER.
   */
  async publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish & { headers: Record<string, unknown> }): Promise<'routed' | 'returned'> {
    const id = String(options.headers[DEAD_LETTER_ID_HEADER]);
    const opening = this.open();
    const channel = await opening;
    await new Promise<void>((resolve, reject) => {
      const confirmed = (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve());
      try {
        channel.publish(exchange, routingKey, content, { ...options, persistent: true, mandatory: true }, confirmed);
      } catch (err) {
        // amqplib queued the confirm callback before it threw: the broker never saw this publish, so each later confirm
        // would answer the one before it. Closing the channel fails every callback queued (those dead letters are held
        // and tried again), and the next publish opens a channel whose window is right.
        this.discard(opening, channel);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    return this.returned.delete(id) ? 'returned' : 'routed';
  }

  /** The channel dead letters go out on, opened when first needed and again after the broker closed it. */
  private open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const opening = this.connection.createConfirmChannel().then((channel) => {
      channel.on('error', (err: Error) => this.warn(`RabbitMQ closed the dead-letter channel (${err.message}); the next dead letter opens another`));
      channel.on('close', () => {
        if (this.channel === opening) this.channel = undefined;
      });
      channel.on('return', (msg: ConsumeMessage) => {
        const id = msg.properties.headers?.[DEAD_LETTER_ID_HEADER];
        if (typeof id === 'string') this.returned.add(id);
      });
      return channel;
    });
    this.channel = opening;
    // A channel that could not be opened is asked for again next time (the connection closing ends the session anyway).
    opening.catch(() => {
      if (this.channel === opening) this.channel = undefined;
    });
    return opening;
  }

  private discard(opening: Promise<ConfirmChannel>, channel: ConfirmChannel): void {
    if (this.channel === opening) this.channel = undefined;
    channel.close().catch(() => undefined);
  }
}
