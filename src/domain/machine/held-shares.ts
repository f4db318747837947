/**
 * The shares of held events, given back as each is taken at settle
 * (held-events-in-order, settleInArrivalOrder).
 *
 * An aggregate's filter may read `user.*`, `journey.*` and `now()`. A held
 * event's share was computed when it arrived, with the profile of its own
 * event (its `user` override) and at its own time; computed again as the
 * actions finish, it read the profile of the latest event and the settle's
 * time, so `count('order.completed', user.vip == true)` could count two
 * orders as none, and only when two or more events were held (one alone is
 * judged on a copy, its share left as it was). The share taken out is now
 * put back as it was (patch held-shares-kept), as without actions
 * (review-63-machine finding 4).
 */
import type { EventFacts } from '../conditions';
import { addContributions, putShares, sameShares, type Shares } from './aggregates';
import { baseFacts } from './facts';
import type { Run } from './run';
import type { PathState } from './state';

/**
 * Puts back `taken`, the share `event` had when it arrived. The patch is asked
 * (StepOptions.heldSharesKept) only where the share computed now would differ;
 * a journey from before it computes the share again.
 */
export function giveBackShares(run: Run, path: PathState, event: EventFacts, taken: Shares): void {
  const now: Shares = {};
  addContributions(run.plan, now, event, baseFacts(run, path), run.exactHeldAndFolded);
  if (sameShares(now, taken) || !(run.heldSharesKept === undefined || run.heldSharesKept())) {
    addContributions(run.plan, path.window, event, baseFacts(run, path), run.exactHeldAndFolded);
    return;
  }
  putShares(path.window, taken, run.exactHeldAndFolded);
}
