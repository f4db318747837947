import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { sleep } from '../support/stats';

/** One scenario's counts, printed on one line. */
export interface Verdict {
  name: string;
  sent: number;
  accepted: number;
  applied: number;
  expected: number;
  issued: number;
  duplicated: number;
  lost: number;
  /** Cancelled events whose rewards still count (net reward not 0). */
  cancelLeaks: number;
  failedWorkflows: number;
  notes: string[];
  held: boolean;
}

export function printVerdict(v: Verdict): void {
  console.log(
    `[${v.held ? 'held' : 'BROKE'}] ${v.name}: events sent ${v.sent}, accepted ${v.accepted}, applied ${v.applied}, ` +
      `rewards expected ${v.expected}, issued ${v.issued}, duplicated ${v.duplicated}, lost ${v.lost}` +
      (v.cancelLeaks ? `, cancelled with net reward ${v.cancelLeaks}` : '') +
      (v.failedWorkflows ? `, failed workflows ${v.failedWorkflows}` : '') +
      (v.notes.length ? ` (${v.notes.join('; ')})` : ''),
  );
}

/**
 * The ledger against what was expected: `expected` maps each user who
 * should get a reward to its exact amount. Waits (bounded) for the rewards
 * to arrive, then counts: issued (rows for expected users), duplicated
 * (extra rows, or a wrong amount: an event counted twice), lost (missing).
 * Applied: the events accounted for by correct rewards (`eventsPerReward`).
 */
export async function checkRewards(
  ds: DataSource,
  campaignKey: string,
  expected: Map<string, number>,
  opts: { waitMs: number; eventsPerReward: (amount: number) => number },
): Promise<{ issued: number; duplicated: number; lost: number; applied: number; unexpected: number; sample: string[] }> {
  const deadline = Date.now() + opts.waitMs;
  let rows: Array<{ user_id: string; amount: number }> = [];
  for (;;) {
    rows = await ds.query(`select user_id, amount::float as amount from rewards where campaign_key = $1`, [campaignKey]);
    const have = new Set(rows.map((r) => r.user_id));
    if ([...expected.keys()].every((u) => have.has(u)) || Date.now() > deadline) break;
    await sleep(1000);
  }
  // Let a would-be duplicate (a retried activity, a replayed journey) land before counting.
  await sleep(2000);
  rows = await ds.query(`select user_id, amount::float as amount from rewards where campaign_key = $1`, [campaignKey]);
  const byUser = new Map<string, number[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.amount]);
  let issued = 0;
  let duplicated = 0;
  let lost = 0;
  let applied = 0;
  let unexpected = 0;
  const sample: string[] = [];
  for (const [user, amount] of expected) {
    const got = byUser.get(user) ?? [];
    if (got.length === 0) lost++;
    else {
      issued++;
      duplicated += got.length - 1;
      if (got.some((a) => a !== amount)) {
        duplicated++;
        if (sample.length < 5) sample.push(`${user}: ${got.join('+')} (expected ${amount})`);
      }
      else applied += opts.eventsPerReward(amount);
    }
  }
  for (const [user, got] of byUser) {
    if (expected.has(user)) continue;
    unexpected++;
    if (sample.length < 5) sample.push(`${user}: ${got.join('+')} (not expected)`);
  }
  return { issued, duplicated, lost, applied, unexpected, sample };
}

/** Cancelled event ids whose rewards are not all reclaimed. */
export async function cancelLeaks(ds: DataSource, eventIds: string[], waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [{ n }] = await ds.query(
      `select count(distinct e)::int as n from rewards, unnest(caused_by) as e where e = any($1::text[]) and status <> 'reclaimed'`,
      [eventIds],
    );
    if (n === 0 || Date.now() > deadline) return n;
    await sleep(1000);
  }
}

/** Journeys of the campaign that failed, timed out or were terminated (visibility). */
export async function failedWorkflows(client: Client, campaignKey: string): Promise<number> {
  let n = 0;
  for (const status of ['Failed', 'TimedOut', 'Terminated']) {
    const { count } = await client.workflow.count(`CampaignKey = "${campaignKey}" AND ExecutionStatus = "${status}"`);
    n += count;
  }
  return n;
}
