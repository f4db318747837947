import { stateQuery, journeyWorkflowId } from '../../../src/workflows/journey/contract';
import { CONTINUE_AT, HISTORY_BOUND } from '../../../src/workflows/journey/shell';
import { sleep } from '../../support/stats';
import type { ChaosContext } from '../context';
import { post, Tally, type OrderEvent } from '../load';
import { checkRewards, failedWorkflows, type Verdict } from '../verdict';
import { verdict } from './worker-kill';

export function marathonCampaign(key: string, events: number) {
  return {
    key,
    name: 'chaos marathon',
    entry: { on: 'tick' },
    initial: 'counting',
    states: {
      counting: { transitions: [{ to: 'done', when: `count('tick') >= ${events}` }] },
      done: { actions: { steps: [{ type: 'points', amount: "count('tick')" }] }, end: true },
    },
  };
}

/**
 * `events` events into one user's journey through the API, across several
 * continue-as-new runs. Paced by the journey's own progress (as
 * test/journeys/long-life.test.ts): a wave, then wait until it is counted.
 * Each wave also resends one of its events.
 */
export async function longLife(ctx: ChaosContext, events: number): Promise<Verdict> {
  const key = ctx.campaignKey('long-life');
  const userId = 'marathon';
  const tally = new Tally();
  const wave = 250;
  const batch = 50;
  const tick = (i: number): OrderEvent => ({ id: `${ctx.tag}-t${i}`, type: 'tick', userId, properties: {} });
  const handle = ctx.client.workflow.getHandle(journeyWorkflowId(key, userId));
  const counted = async () => {
    const view = await handle.query(stateQuery).catch(() => undefined);
    return Number(view?.paths[0]?.aggregates["count('tick')"] ?? 0);
  };
  const startedAt = Date.now();
  const rate = (n: number) => `${n} events in ${((Date.now() - startedAt) / 1000).toFixed(0)} s, ${(n / ((Date.now() - startedAt) / 1000)).toFixed(0)} events/s`;
  for (let w = 0; w < events; w += wave) {
    const end = Math.min(events, w + wave);
    for (let b = w; b < end; b += batch) await post(ctx.kairos, tally, Array.from({ length: Math.min(batch, end - b) }, (_, k) => tick(b + k)));
    await post(ctx.kairos, tally, [tick(w + 3)]);
    if (end >= events) break;
    // Generous: the other scenarios' faults (a Temporal restart, PostgreSQL gone for a minute) stall it too.
    const deadline = Date.now() + 180_000;
    while ((await counted()) < end) {
      if (Date.now() > deadline) throw new Error(`journey stuck below ${end} events`);
      await sleep(100);
    }
    if (end % 2_000 === 0) console.log(`  marathon: ${rate(end)}`);
  }
  const r = await checkRewards(ctx.ds, key, new Map([[userId, events]]), { waitMs: 120_000, eventsPerReward: (a) => a });
  // Until the reward for all of them is in (checkRewards then waits 2 s more for a would-be duplicate).
  const counting = rate(events);
  const runs: string[] = [];
  for await (const wf of ctx.client.workflow.list({ query: `WorkflowId = "${journeyWorkflowId(key, userId)}"` })) runs.push(wf.runId);
  let longest = 0;
  for (const runId of runs) {
    const history = await ctx.client.workflow.getHandle(journeyWorkflowId(key, userId), runId).fetchHistory();
    longest = Math.max(longest, history.events?.length ?? 0);
  }
  const notes = [`${counting} into the journey`, `${runs.length} runs, longest history ${longest} events (bound ${HISTORY_BOUND})`];
  const v = verdict(`${events} events into one journey`, tally, 1, r, await failedWorkflows(ctx.client, key), notes);
  // Every run under the bound, and one that reached the point of continuing as new did so (batched
  // signals leave a smaller marathon in one run: 10,000 events took about 1,000 history events).
  return { ...v, held: v.held && (runs.length > 1 || longest < CONTINUE_AT) && longest < HISTORY_BOUND };
}
