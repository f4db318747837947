import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { ReclaimResult, RewardsRepository } from '../../store/repositories/rewards.repository';
import type { CancelSignalOutcome, JourneyGateway } from '../../temporal/journey-gateway';

export interface CancelOutcome extends CancelSignalOutcome {
  /** What the ledger did for rewards the event helped cause, by idempotency key. */
  reclaimed: Array<{ idempotencyKey: string; outcome: string }>;
}

export interface CancelDeps {
  journeys: JourneyGateway;
  rewards: RewardsRepository;
  rewardCauses: RewardCausesRepository;
  /** Told of each reward the ledger took back (the reclaim counter). */
  reclaimed?: (r: ReclaimResult) => void;
}

/**
 * Cancels an event everywhere (DESIGN.md decision 6): every reward recorded
 * as caused by it is reclaimed from the ledger directly, so journeys that
 * already ended are covered too, and running journeys that saw it are
 * signalled. The ledger goes first: it needs only PostgreSQL, so an outage of
 * Temporal never leaves an ended journey's reward standing. Both halves are
 * idempotent: cancelling twice is one cancel.
 */
export async function cancelEverywhere(deps: CancelDeps, req: { eventId: string; reason: string | null; workflowIds: readonly string[] }): Promise<CancelOutcome> {
  const keys = await deps.rewardCauses.reclaimableKeys(req.eventId);
  const reclaimed: CancelOutcome['reclaimed'] = [];
  for (const key of keys) {
    const r = await deps.rewards.reclaim(key, req.eventId, req.reason);
    deps.reclaimed?.(r);
    reclaimed.push({ idempotencyKey: key, outcome: r.outcome });
  }
  const told = await deps.journeys.cancelEvent({ eventId: req.eventId, reason: req.reason ?? undefined, workflowIds: req.workflowIds });
  return { ...told, reclaimed };
}
