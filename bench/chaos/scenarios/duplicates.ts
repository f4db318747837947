import { runLimited } from '../../support/stats';
import type { ChaosContext } from '../context';
import { FULL_AMOUNT, orders, post, Tally } from '../load';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

/** Every event sent twice, one in ten three times; for a third of the users the copies race each other. */
export async function duplicates(ctx: ChaosContext, users: number): Promise<Verdict> {
  const key = ctx.campaignKey('duplicates');
  const tally = new Tally();
  const expected = new Map<string, number>();
  await runLimited(users, 16, async (i) => {
    const userId = `dup${i}`;
    const events = orders(ctx.tag, userId, 'duplicates');
    for (const [n, e] of events.entries()) {
      const copies = (i * 3 + n) % 10 === 0 ? 3 : 2;
      const send = () => post(ctx.kairos, tally, [{ ...e, userId }]);
      if (i % 3 === 0) await Promise.all(Array.from({ length: copies }, send));
      else for (let c = 0; c < copies; c++) await send();
    }
    expected.set(userId, FULL_AMOUNT);
  });
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 120_000, eventsPerReward: () => 3 });
  return verdict('every event 2-3 times', tally, expected.size, r, await failedWorkflows(ctx.client, key), []);
}
