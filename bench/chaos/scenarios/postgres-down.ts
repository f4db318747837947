import { runLimited, sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { FULL_AMOUNT, orders, post, Tally } from '../load';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

/** PostgreSQL cut (at the proxy the API and the worker go through) for `downMs` under load: 503 + Retry-After, then recovery. */
export async function postgresDown(ctx: ChaosContext, users: number, downMs: number): Promise<Verdict> {
  const key = ctx.campaignKey('postgres-down');
  const tally = new Tally();
  const expected = new Map<string, number>();
  let outage = true;
  const load = runLimited(users, 4, async (i) => {
    const userId = `pg${i}`;
    for (const e of orders(ctx.tag, userId, 'postgres-down')) {
      await post(ctx.kairos, tally, [{ ...e, userId }]);
      if (outage) await sleep(100);
    }
    expected.set(userId, FULL_AMOUNT);
  });
  const cut = (async () => {
    await sleep(5000);
    await ctx.proxy.stop();
    await sleep(downMs);
    await ctx.proxy.start();
    outage = false;
  })();
  await Promise.all([load, cut]);
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 240_000, eventsPerReward: () => 3 });
  const notes = [`${tally.unavailable} answers 503 with Retry-After, ${tally.errors} dropped connections, all retried`];
  return verdict(`PostgreSQL down ${downMs / 1000} s`, tally, expected.size, r, await failedWorkflows(ctx.client, key), notes);
}
