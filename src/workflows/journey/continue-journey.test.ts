import { initialJourneyState, seenByEndedJourney } from '../../domain/machine';
import type { PendingInput } from './carried';
import { nextJourneyInput } from './continue-journey';
import type { JourneyWorkflowInput } from './contract';

const entry = (id: string): PendingInput => ({
  version: 1,
  kind: 'event',
  event: { version: 1, id, type: 'order.completed', userId: 'u', occurredAt: '2026-12-06T10:00:00Z', properties: {} },
});

describe('the input of the next journey an ended one begins (review-53-diff-a #1)', () => {
  const from: JourneyWorkflowInput = { version: 1, campaignKey: 'c', campaignVersion: 2, userId: 'u', arrivedAfterEnd: [entry('X')] };
  const ended = {
    ...initialJourneyState({ key: 'c', version: 2 }, { campaignKey: 'c', userId: 'u', seed: 'w' }),
    status: 'ended' as const,
    seenEventIds: ['O', 'P'],
    cancelledEventIds: ['C'],
  };

  it('carries what the ended journey took or saw cancelled, less the entries it kept (patch seen-events-outlive-run)', () => {
    const kept = [entry('P')];
    expect(nextJourneyInput(from, kept, seenByEndedJourney(ended, kept))).toEqual({
      version: 1,
      campaignKey: 'c',
      campaignVersion: 2,
      userId: 'u',
      arrivedAfterEnd: kept,
      seenBefore: { seenEventIds: ['O'], cancelledEventIds: ['C'] },
    });
  });

  it('carries nothing of the kind for a run started on older code, nor when there is nothing to carry', () => {
    const kept = [entry('P')];
    expect(nextJourneyInput(from, kept)).toEqual({ version: 1, campaignKey: 'c', campaignVersion: 2, userId: 'u', arrivedAfterEnd: kept });
    expect(nextJourneyInput(from, kept, { seenEventIds: [], cancelledEventIds: [] })).not.toHaveProperty('seenBefore');
  });
});
