import { runLimited, sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { FULL_AMOUNT, orders, post, Tally } from '../load';
import { temporalServer } from '../temporal-control';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

/** The Temporal server stopped and started `restarts` times while events keep coming: they wait in the outbox. */
export async function temporalRestart(ctx: ChaosContext, users: number, restarts: number): Promise<Verdict> {
  const key = ctx.campaignKey('temporal-restart');
  const tally = new Tally();
  const expected = new Map<string, number>();
  let restarting = true;
  const load = runLimited(users, 4, async (i) => {
    const userId = `tr${i}`;
    for (const e of orders(ctx.tag, userId, 'temporal-restart')) {
      await post(ctx.kairos, tally, [{ ...e, userId }]);
      // Spread the load over the restarts rather than finishing before the first one.
      if (restarting) await sleep(150);
    }
    expected.set(userId, FULL_AMOUNT);
  });
  const notes: string[] = [];
  const restarter = (async () => {
    for (let k = 0; k < restarts; k++) {
      await sleep(4000);
      const stop = await temporalServer('stop');
      if (!stop.ok) notes.push(`stop ${k + 1}: ${stop.out.slice(-200)}`);
      await sleep(3000);
      const start = await temporalServer('start');
      if (!start.ok) throw new Error(`Temporal did not come back after stop ${k + 1}: ${start.out.slice(-500)}`);
    }
    restarting = false;
  })();
  await Promise.all([load, restarter]);
  await ctx.worker.whenReady(120_000);
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 240_000, eventsPerReward: () => 3 });
  notes.push(`worker processes so far ${ctx.worker.starts}`);
  return verdict(`Temporal restarted x${restarts}`, tally, expected.size, r, await failedWorkflows(ctx.client, key), notes);
}
