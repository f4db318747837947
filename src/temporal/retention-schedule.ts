import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction } from '@temporalio/client';
import type { RetentionSettings } from '../config/config';
import { retentionScheduleId, retentionWorkflow, type RetentionInput } from '../workflows/retention.workflow';

/**
 * Keeps the task queue's one retention Schedule in line with this process's
 * settings; every worker calls it at boot and the last one wins. A Schedule
 * (not a timer in each worker) runs one pass at a time wherever workers and
 * API instances run, and skips a start while the previous pass still runs.
 * All windows 0: the Schedule is deleted.
 */
export async function syncRetentionSchedule(client: Client, taskQueue: string, settings: RetentionSettings): Promise<'created' | 'updated' | 'deleted' | 'none'> {
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
