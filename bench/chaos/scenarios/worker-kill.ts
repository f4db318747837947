import { runLimited, sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { random } from '../context';
import { FULL_AMOUNT, orders, post, Tally } from '../load';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';

/** The worker SIGKILLed `kills` times at random moments while `users` journeys run; a supervisor restarts it each time. */
export async function workerKill(ctx: ChaosContext, users: number, kills: number): Promise<Verdict> {
  const key = ctx.campaignKey('worker-kill');
  const tally = new Tally();
  const expected = new Map<string, number>();
  const load = runLimited(users, 16, async (i) => {
    const userId = `wk${i}`;
    for (const e of orders(ctx.tag, userId, 'worker-kill')) await post(ctx.kairos, tally, [{ ...e, userId }]);
    expected.set(userId, FULL_AMOUNT);
  });
  const killer = (async () => {
    for (let k = 0; k < kills; k++) {
      await ctx.worker.whenReady();
      await sleep(random(300, 2500));
      ctx.worker.kill();
    }
  })();
  await Promise.all([load, killer]);
  await ctx.worker.whenReady();
  const r = await checkRewards(ctx.ds, key, expected, { waitMs: 180_000, eventsPerReward: () => 3 });
  return verdict('worker SIGKILL x' + kills, tally, expected.size, r, await failedWorkflows(ctx.client, key), [`worker started ${ctx.worker.starts} times`]);
}

export function verdict(
  name: string,
  tally: Tally,
  expected: number,
  r: { issued: number; duplicated: number; lost: number; applied: number; unexpected: number; sample: string[] },
  failed: number,
  notes: string[],
  cancelLeaks = 0,
): Verdict {
  const extra = r.unexpected ? [`${r.unexpected} users rewarded unexpectedly`] : [];
  if (r.sample.length) extra.push(`e.g. ${r.sample.join(', ')}`);
  return {
    name,
    sent: tally.sent,
    accepted: tally.accepted.size,
    applied: r.applied,
    expected,
    issued: r.issued,
    duplicated: r.duplicated + r.unexpected,
    lost: r.lost,
    cancelLeaks,
    failedWorkflows: failed,
    notes: [...notes, ...extra],
    held: r.lost === 0 && r.duplicated === 0 && r.unexpected === 0 && failed === 0 && cancelLeaks === 0 && r.issued === expected,
  };
}
