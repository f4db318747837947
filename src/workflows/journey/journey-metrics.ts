import { metricMeter } from '@temporalio/workflow';
import type { RecordTransition } from '../../domain/machine';

/**
 * Journey counters on the worker's meter, labelled by campaign only. The
 * SDK's workflow meter skips replays, so a journey replayed from its history
 * is not counted twice; metrics leave nothing in the history, so no patch.
 */
export function countJourneyMove(campaign: string, t: Pick<RecordTransition, 'from' | 'to'>): void {
  if (t.from === null) {
    metricMeter.createCounter('kairos_journeys_entered_total', undefined, 'Entries into campaigns (a user entering again counts again).').add(1, { campaign });
  } else if (t.to === '(exited)') {
    metricMeter.createCounter('kairos_journeys_exited_total', undefined, 'Paths ended by exitOn or an operator.').add(1, { campaign });
  }
}

export function countJourneyEnd(campaign: string): void {
  metricMeter.createCounter('kairos_journeys_ended_total', undefined, 'Journeys that ended (every path done).').add(1, { campaign });
}
