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
 * Temporal never leaves an ended journey's reward standing. It is read again
 * once the signals are sent: a reward committed after the first read by a
 * journey that then ended (or continued as new into a run that does not know
 * it) is one no signal reaches, and a journey ends only after its rewards'
 * activities did, so the second read sees it. Both halves are idempotent:
 * cancelling twice is one cancel.
 */
export async function cancelEverywhere(deps: CancelDeps, req: { eventId: string; reason: string | null; workflowIds: readonly string[] }): Promise<CancelOutcome> {
  const reclaimed: CancelOutcome['reclaimed'] = [];
  await reclaimFromLedger(deps, req, reclaimed);
  const told = await deps.journeys.cancelEvent({ eventId: req.eventId, reason: req.reason ?? undefined, workflowIds: req.workflowIds });
  await reclaimFromLedger(deps, req, reclaimed);
  return { ...told, reclaimed };
}

/** Reclaims what the ledger holds for the event but the keys `done` lists (an unreclaimable one, a redeemed coupon, stays on the ledger's list). */
async function reclaimFromLedger(deps: CancelDeps, req: { eventId: string; reason: string | null }, done: CancelOutcome['reclaimed']): Promise<void> {
  const handled = new Set(done.map((d) => d.idempotencyKey));
  for (const key of await deps.rewardCauses.reclaimableKeys(req.eventId)) {
    if (handled.has(key)) continue;
    const r = await deps.rewards.reclaim(key, req.eventId, req.reason);
    deps.reclaimed?.(r);
    done.push({ idempotencyKey: key, outcome: r.outcome });
  }
}
