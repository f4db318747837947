import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { RewardCausesRepository } from '../store/repositories/reward-causes.repository';
import { RewardsRepository } from '../store/repositories/rewards.repository';
import { cancelEventSignal } from '../workflows/journey.workflow';

export interface CancelOutcome {
  /** Journeys that were running and were told (they also fix their pending aggregates). */
  signalled: string[];
  /** Journeys that had already ended. */
  ended: string[];
  /** What the ledger did for rewards the event helped cause, by idempotency key. */
  reclaimed: Array<{ idempotencyKey: string; outcome: string }>;
}

/**
 * Cancels an event everywhere (DESIGN.md decision 6): running journeys that
 * saw it are signalled, and every reward recorded as caused by it is
 * reclaimed from the ledger directly, so journeys that already ended are
 * covered too. Both halves are idempotent: cancelling twice is one cancel.
 */
export async function cancelEverywhere(
  deps: { client: Client; dataSource: DataSource },
  req: { eventId: string; reason?: string; workflowIds: readonly string[] },
): Promise<CancelOutcome> {
  const signalled: string[] = [];
  const ended: string[] = [];
  await Promise.all(
    req.workflowIds.map(async (id) => {
      try {
        await deps.client.workflow.getHandle(id).signal(cancelEventSignal, { version: 1, eventId: req.eventId, reason: req.reason });
        signalled.push(id);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        ended.push(id);
      }
    }),
  );
  const rewards = new RewardsRepository(deps.dataSource);
  const keys = await new RewardCausesRepository(deps.dataSource).reclaimableKeys(req.eventId);
  const reclaimed: CancelOutcome['reclaimed'] = [];
  for (const key of keys) {
    const r = await rewards.reclaim(key, req.eventId, req.reason ?? null);
    reclaimed.push({ idempotencyKey: key, outcome: r.outcome });
  }
  return { signalled: signalled.sort(), ended: ended.sort(), reclaimed };
}
