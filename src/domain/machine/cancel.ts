/**
 * Cancelling an event (a refund, a fraud decision): it stops counting in the
 * aggregates of paths still waiting, and every reward it helped cause is
 * reclaimed. Reclaiming is keyed by the rewards' idempotency keys, so doing it
 * twice is the same as once.
 */
import { hasFolded, removeEvent } from './aggregates';
import { emit, note, type Run } from './run';
import { LIMITS, pushBounded, type PathState } from './state';
import { keepTimerPlaces, onAggregatesChanged } from './transitions';

export function cancelEvent(run: Run, eventId: string, reason?: string): void {
  const { state } = run;
  if (state.cancelledEventIds.includes(eventId)) {
    note(run, { kind: 'ignored', message: `event ${eventId} was already cancelled` });
    return;
  }
  pushBounded(state.cancelledEventIds, eventId, LIMITS.cancelledEventIds);
  // A late delivery of a cancelled event must not count.
  if (!state.seenEventIds.includes(eventId)) pushBounded(state.seenEventIds, eventId, LIMITS.seenEventIds);

  const changed: PathState[] = [];
  for (const path of state.paths) {
    if (removeEvent(path.window, eventId, run.exactHeldAndFolded)) {
      note(run, { kind: 'cancel', pathId: path.pathId, message: `event ${eventId} no longer counts in ${path.state}` });
      changed.push(path);
    } else if (hasFolded(path.window, run.exactHeldAndFolded)) {
      // Its share, if it had one, is inside the summary of the oldest events: say so rather than nothing.
      note(run, {
        kind: 'cancel',
        pathId: path.pathId,
        message: `event ${eventId} is not among the newest ${LIMITS.contributions} events of ${path.state}; if it counted there, it stays counted in the summary of older ones, which cannot be taken apart`,
      });
    }
    if (path.deferred?.some((e) => e.id === eventId)) {
      if (run.exactHeldAndFolded) keepTimerPlaces(path, path.deferred.flatMap((e, i) => (e.id === eventId ? [i] : [])));
      path.deferred = path.deferred.filter((e) => e.id !== eventId);
    }
  }
  const keys: string[] = [];
  // The ledger keeps the cancel's own reason, also for a reward reclaimed once its issue completes (patch cancel-releases-held-rewards).
  const said = run.cancelReleasesHeld && reason !== undefined ? reason : undefined;
  for (const reward of state.rewards) {
    if (!reward.causedBy.includes(eventId) || reward.status === 'reclaimed' || reward.status === 'notIssued') continue;
    reward.status = 'reclaimed';
    if (said !== undefined && reward.outcome === undefined) reward.reclaimReason = said;
    keys.push(reward.idempotencyKey);
  }
  if (keys.length > 0) emit(run, { kind: 'reclaimRewards', eventId, idempotencyKeys: keys, ...(said !== undefined ? { reason: said } : {}) });
  note(run, {
    kind: 'cancel',
    message: keys.length > 0 ? `event ${eventId} cancelled: reclaiming ${keys.join(', ')}` : `event ${eventId} cancelled: no reward to reclaim`,
  });
  // Journeys from before patch cancel-stops-effects waited for the next event to check these.
  if (run.cancelReachesAll) for (const path of changed) if (state.paths.includes(path)) onAggregatesChanged(run, path);
}
