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
  /**
   * Temporal's deadline for the signals alone (JourneyGateway.bounded), counted from when they start:
   * the ledger passes around them are PostgreSQL's work, bounded by its statement timeout, and a slow
   * one must neither spend Temporal's time nor have its overrun read as Temporal being unreachable.
   * Unset: the caller bounds the Temporal calls itself.
   */
  signalTimeoutMs?: number;
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
  const told = await tellJourneys(deps, req);
  await reclaimFromLedger(deps, req, reclaimed);
  return { ...told, reclaimed };
}

/** Signals the journeys, under Temporal's deadline when the caller gave one. */
function tellJourneys(deps: CancelDeps, req: { eventId: string; reason: string | null; workflowIds: readonly string[] }): Promise<CancelSignalOutcome> {
  const signal = () => deps.journeys.cancelEvent({ eventId: req.eventId, reason: req.reason ?? undefined, workflowIds: req.workflowIds });
  return deps.signalTimeoutMs === undefined ? signal() : deps.journeys.bounded(deps.signalTimeoutMs, signal);
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
