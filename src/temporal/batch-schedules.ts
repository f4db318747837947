import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { lateTickLimitMs } from '../domain/campaign/tick-times';
import { batchEntryWorkflow, batchScheduleId } from '../workflows/batch-entry.workflow';

export interface BatchCampaign {
  key: string;
  version: number;
  status: 'draft' | 'active' | 'paused' | 'archived';
  /** entry.cron and entry.timezone of the active version; null for event-started campaigns. */
  cron: string | null;
  timezone: string;
  /**
   * schedule.startsAt and schedule.endsAt of the active version (epoch ms; null
   * or absent: open on that side). The Schedule starts no tick outside them.
   */
  startsAt?: number | null;
  endsAt?: number | null;
}

export type ScheduleChange = 'created' | 'updated' | 'paused' | 'deleted' | 'none';

/**
 * Keeps one Temporal Schedule per active entry.cron campaign in line with the
 * campaign: created or updated on activation (pointing at the active version),
 * paused with the campaign, deleted when archived or no longer cron-started.
 *
 * Its catchupWindow is set on every create and update, never left to
 * Temporal's default (a year): after a Temporal outage the Schedule starts
 * a missed tick only while it could still enter users, and drops older ones.
 * Temporal has one window for all of a cron's ticks and starts only the
 * earliest it missed, so the window is the cron's shortest gap
 * (lateTickLimitMs): a wider one would start a tick too late for its own
 * slot and skip a later one still in time. A tick a worker starts late holds
 * itself to the gap to its own next tick (tickLateLimitMs).
 *
 * Its spec carries the campaign's schedule window (startAt/endAt, inclusive
 * on both sides as schedule.startsAt/endsAt are): without it the Schedule
 * started a tick on every run after endsAt, forever, each one only to find
 * the window closed. Each tick is still judged by the window at its own
 * time (outsideScheduleWindow), so a tick inside it still enters.
 *
 * No Schedule is created for a campaign whose schedule.endsAt is past
 * (`now`): it would never tick, and Temporal deletes a Schedule with no
 * action left about a week after its last one (the reconcile pass finds
 * its absence in line: driftOf). One that exists is still updated.
 */
export async function syncBatchSchedule(client: Client, taskQueue: string, c: BatchCampaign, now: Date = new Date()): Promise<ScheduleChange> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await syncOnce(client, taskQueue, c, now);
    } catch (err) {
      // Another sync (a status change on another instance, a client retrying its own request) created or deleted the
      // Schedule between this one's look and its change: look again. Which sync ends last is the caller's to settle.
      const raceLost = err instanceof ScheduleAlreadyRunning || err instanceof ScheduleNotFoundError;
      if (!raceLost || attempt >= RACE_ATTEMPTS) throw err;
    }
  }
}

/** The spec of a campaign's Schedule: its cron in its zone, within its schedule window (an unset side left open). */
export function batchScheduleSpec(cron: string, c: Pick<BatchCampaign, 'timezone' | 'startsAt' | 'endsAt'>): ScheduleSpec {
  const spec: ScheduleSpec = { cronExpressions: [cron], timezone: c.timezone };
  if (c.startsAt != null) spec.startAt = new Date(c.startsAt);
  if (c.endsAt != null) spec.endAt = new Date(c.endsAt);
  return spec;
}

/** Looks at a Schedule and changes it, up to this many times while other syncs change it in between. */
const RACE_ATTEMPTS = 3;

async function syncOnce(client: Client, taskQueue: string, c: BatchCampaign, now: Date): Promise<ScheduleChange> {
  const scheduleId = batchScheduleId(c.key);
  const handle = client.schedule.getHandle(scheduleId);
  const exists = await handle.describe().then(
    () => true,
    (err: unknown) => {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    },
  );
  if (!c.cron || c.status === 'archived' || c.status === 'draft') {
    if (!exists) return 'none';
    await handle.delete();
    return 'deleted';
  }
  if (!exists && c.endsAt != null && c.endsAt < now.getTime()) return 'none';
  const spec = batchScheduleSpec(c.cron, c);
  const catchupWindow = lateTickLimitMs(c.cron, c.timezone, now);
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: batchEntryWorkflow,
    workflowId: scheduleId,
    taskQueue,
    args: [{ version: 1, campaignKey: c.key, campaignVersion: c.version }],
  };
  if (!exists) {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow },
      state: { paused: c.status === 'paused', note: `batch entry of campaign ${c.key}` },
      memo: { campaignKey: c.key },
    });
    return c.status === 'paused' ? 'paused' : 'created';
  }
  // One update carries the paused state too: a separate pause/unpause could be
  // applied before this update, which would then restore the old state.
  const paused = c.status === 'paused';
  await handle.update((prev) => ({
    ...prev,
    spec,
    action,
    policies: { ...prev.policies, catchupWindow },
    state: { ...prev.state, paused, note: paused ? `campaign ${c.key} paused` : `campaign ${c.key} v${c.version} active` },
  }));
  return paused ? 'paused' : 'updated';
}
