import { journeyClosed } from './journey-view';
import type { KnownEvent, LedgerReward } from './trace-words';

import type { paths } from '../../../../clients/ts/src/schema';

/** One journey as the journeys listing says it (GET /v1/users/:id/journeys), typed by the generated client. */
export type UserJourney = paths['/v1/users/{id}/journeys']['get']['responses'][200]['content']['application/json']['journeys'][number];

/**
 * A mark that changes when a journey's trace may have grown: its line in the
 * listing (its state, status, held steps, entries), its campaign's rewards in
 * the ledger, or the user's events (a new one, a cancel). The page polls
 * those once for every card; a card asks for its own trace again only when
 * its mark changes, so ten cards cost what one does while nothing happens.
 * An ended journey's trace no longer grows, nor does a closed run's (one
 * the listing could not read included: asking it again answers the same):
 * its listing line alone.
 */
export function traceMark(journey: UserJourney, ledger: LedgerReward[], events: KnownEvent[]): string {
  const line = [journey.version, journey.state, journey.status, journey.journeyStatus, journey.held, journey.entries, journey.closedAt];
  if (journey.journeyStatus === 'ended' || journeyClosed(journey)) return JSON.stringify(line);
  const rewards = ledger.filter((r) => r.campaign === journey.campaign).map((r) => [r.id, r.status]);
  return JSON.stringify([line, rewards, events.map((e) => [e.id, e.cancelledAt])]);
}
