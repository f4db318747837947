import { runLimited, sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { FULL_AMOUNT, orders, orderType, post, Tally, type OrderEvent } from '../load';
import { cancelLeaks, checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

/**
 * `each` users have an order cancelled after their reward (the reward must be
 * reclaimed) and `each` before it (the order must never count: they reach
 * the reward with a fourth order instead, 10 + 100 + 1000). Cancels go
 * through POST /v1/events/:id/cancel.
 */
export async function cancels(ctx: ChaosContext, each: number): Promise<Verdict> {
  const key = ctx.campaignKey('cancels');
  const tally = new Tally();
  const expected = new Map<string, number>();
  const cancelled: string[] = [];
  let cancelCalls = 0;
  const cancel = async (id: string) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      cancelCalls++;
      const res = await ctx.kairos.call('POST', `/v1/events/${encodeURIComponent(id)}/cancel`, { reason: 'chaos: refunded' });
      if (res.status >= 200 && res.status < 300) {
        cancelled.push(id);
        return;
      }
      if (res.status !== 503) throw new Error(`cancel ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(1000);
    }
    throw new Error(`cancel ${id}: still 503 after 20 tries`);
  };

  // After: reward first, then the cancel of its second order.
  await runLimited(each, 16, async (i) => {
    const userId = `ca${i}`;
    for (const e of orders(ctx.tag, userId, 'cancels')) await post(ctx.kairos, tally, [{ ...e, userId }]);
    expected.set(userId, FULL_AMOUNT);
  });
  const afterRewards = await checkRewards(ctx.ds, key, new Map(expected), { waitMs: 120_000, eventsPerReward: () => 3 });
  await runLimited(each, 16, (i) => cancel(`${ctx.tag}-ca${i}-o1`));

  // Before: first order, its cancel, then three more orders.
  await runLimited(each, 16, async (i) => {
    const userId = `cb${i}`;
    const [first, ...rest] = orders(ctx.tag, userId, 'cancels');
    await post(ctx.kairos, tally, [first]);
    await cancel(first.id);
    const fourth: OrderEvent = { id: `${ctx.tag}-${userId}-o3`, type: orderType('cancels'), userId, properties: { amount: 1000 } };
    for (const e of [...rest, fourth]) await post(ctx.kairos, tally, [e]);
    expected.set(userId, 1110);
  });
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 120_000, eventsPerReward: () => 3 });
  const leaks = await cancelLeaks(ctx.ds, cancelled, 60_000);
  const [{ reclaimed }] = await ctx.ds.query(`select count(*)::int as reclaimed from rewards where campaign_key = $1 and status = 'reclaimed'`, [key]);
  const notes = [
    `${cancelled.length} events cancelled (${each} after their reward, ${each} before) in ${cancelCalls} calls`,
    `${afterRewards.issued} rewards before the cancels, ${reclaimed} reclaimed after`,
  ];
  if (reclaimed !== each) notes.push(`expected ${each} reclaimed`);
  const v = verdict(`${2 * each} events cancelled`, tally, expected.size, r, await failedWorkflows(ctx.client, key), notes, leaks);
  return { ...v, held: v.held && reclaimed === each };
}
