import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction } from '@temporalio/client';
import type { RetentionKind } from '../activities/retention/retention-activities';
import type { RetentionSettings } from '../config/config';
import { retentionScheduleId, retentionWorkflow, type RetentionInput, type RetentionWindows } from '../workflows/retention.workflow';

/** The kinds each window prunes, as the retention workflow reads them (messages and webhook calls share one). */
const KINDS_OF_WINDOW: Readonly<Record<keyof RetentionWindows, readonly RetentionKind[]>> = {
  deliveriesDays: ['deliveries'],
  eventsDays: ['events'],
  messagesDays: ['messages', 'webhookCalls'],
  journeyLogDays: ['journeyLog'],
};

/** Kinds no pass prunes: their window is 0 (kept forever). */
export function retentionKindsKeptForever(windows: RetentionWindows): RetentionKind[] {
  return (Object.keys(KINDS_OF_WINDOW) as Array<keyof RetentionWindows>).filter((w) => windows[w] <= 0).flatMap((w) => KINDS_OF_WINDOW[w]);
}

/** Kinds every pass prunes: their window is above 0. */
export function retentionKindsPruned(windows: RetentionWindows): RetentionKind[] {
  return (Object.keys(KINDS_OF_WINDOW) as Array<keyof RetentionWindows>).filter((w) => windows[w] > 0).flatMap((w) => KINDS_OF_WINDOW[w]);
}

/** What the worker's boot does to the retention_done marks (RetentionRepository's forgetDone and baselineDone). */
type DoneMarks = (kinds: RetentionKind[]) => Promise<unknown>;

/**
 * Keeps the task queue's one retention Schedule in line with this process's
 * settings; every worker calls it at boot and the last one wins. A Schedule
 * (not a timer in each worker) runs one pass at a time wherever workers and
 * API instances run, and skips a start while the previous pass still runs.
 * All windows 0: the Schedule is deleted.
 *
 * Then forgets (`forgetDone`, RetentionRepository.forgetDone) when the kinds
 * whose window is 0 were last pruned to their end: no pass marks them again,
 * so a mark left from before the window was set to 0 would age until
 * KairosRetentionStalled fired for good. The worker does it, not the API
 * that exports the marks: API instances may be configured otherwise.
 *
 * And gives each kind a pass prunes a mark of now if it has none
 * (`baselineDone`, RetentionRepository.baselineDone; a mark kept keeps its
 * time): a kind no pass ever finished (a new deployment, or a window set
 * again) would otherwise have no series, and KairosRetentionStalled could
 * not fire for a pass stuck from the start. It fires 3 days after that boot
 * instead.
 */
export async function syncRetentionSchedule(
  client: Client,
  taskQueue: string,
  settings: RetentionSettings,
  forgetDone: DoneMarks,
  baselineDone: DoneMarks,
): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const outcome = await syncSchedule(client, taskQueue, settings);
  await forgetDone(retentionKindsKeptForever(settings));
  await baselineDone(retentionKindsPruned(settings));
  return outcome;
}

async function syncSchedule(client: Client, taskQueue: string, settings: RetentionSettings): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const handle = client.schedule.getHandle(retentionScheduleId(taskQueue));
  const { batchSize, cron, ...windows } = settings;
  if (Object.values(windows).every((days) => days <= 0)) {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'none';
      throw err;
    }
  }
  const args: [RetentionInput] = [{ version: 1, windows, batchSize }];
  const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: retentionWorkflow, workflowId: retentionScheduleId(taskQueue), taskQueue, args };
  const spec = { cronExpressions: [cron] };
  try {
    await client.schedule.create({
      scheduleId: retentionScheduleId(taskQueue),
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      state: { note: 'prunes rows older than the retention windows (docs/operations.md, Retention)' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((prev) => ({ ...prev, spec, action }));
  return 'updated';
}
