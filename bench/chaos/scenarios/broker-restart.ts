import { SourceDefinition } from '../../../src/ingest/source-definition';
import { SourcesRepository } from '../../../src/store/repositories/sources.repository';
import { NatsPublisher, RabbitPublisher, restartBroker, uniqueName } from '../../../test/support/brokers';
import { runLimited, sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { FULL_AMOUNT, orders, orderType, Tally } from '../load';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

const RESTARTS = 3;

/**
 * The orders arrive through a broker instead of HTTP, as a business system
 * publishes them, and the broker is restarted 3 times while they flow: every
 * user's three orders must still be counted exactly once.
 */
export async function brokerRestart(ctx: ChaosContext, broker: 'rabbitmq' | 'nats', users: number): Promise<Verdict> {
  const scenario = `${broker}-restart`;
  const key = ctx.campaignKey(scenario);
  const sourceKey = `chaos-${ctx.tag}-${broker}`;
  const mapping = { id: 'orderId', type: { const: orderType(scenario) }, userId: 'user', properties: { amount: 'amount' } };
  const place =
    broker === 'rabbitmq'
      ? { queue: uniqueName(`kairos-chaos-${ctx.tag}`) }
      : (() => {
          const stream = uniqueName(`KAIROS_CHAOS_${ctx.tag}`);
          return { stream, subject: `${stream.toLowerCase()}.orders` };
        })();
  const definition = SourceDefinition.parse({ key: sourceKey, broker, ...place, concurrency: 4, prefetch: 200, mapping });
  // Straight into the table: the trigger's notification is what starts the consumer in the API.
  await new SourcesRepository(ctx.ds).create(sourceKey, broker, definition);

  const rabbit = new RabbitPublisher();
  const nats = new NatsPublisher();
  const publish = (body: unknown, id: string) =>
    definition.broker === 'rabbitmq' ? rabbit.publish(definition.queue, body) : nats.publish(definition.subject, body, { msgId: id });
  const tally = new Tally();
  const expected = new Map<string, number>();
  const notes: string[] = [];
  try {
    // Until the consumer has declared the stream, a NATS publish finds no stream and the publisher retries.
    let published = 0;
    const load = runLimited(users, 8, async (i) => {
      const userId = `${broker}${i}`;
      for (const e of orders(ctx.tag, userId, scenario)) {
        tally.sent++;
        await publish({ orderId: e.id, user: userId, amount: e.properties.amount }, e.id);
        tally.accepted.add(e.id);
        published++;
      }
      expected.set(userId, FULL_AMOUNT);
    });
    const total = users * 3;
    for (let r = 1; r <= RESTARTS; r++) {
      while (published < (total * r) / (RESTARTS + 1)) await sleep(100);
      const t = Date.now();
      await restartBroker(broker);
      notes.push(`restart ${r} at ${published}/${total} published, ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    await load;
  } finally {
    await rabbit.close();
    await nats.close();
  }
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 180_000, eventsPerReward: () => 3 });
  return verdict(`${broker} restarted ${RESTARTS} times under load`, tally, expected.size, r, await failedWorkflows(ctx.client, key), notes);
}
