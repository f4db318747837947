import { Registry } from 'prom-client';
import type { EventCancellationsRepository, UnfinishedCancel } from '../../store/repositories/event-cancellations.repository';
import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { RewardMetrics } from '../metrics/rewards.metrics';
import { DEFAULT_OUTBOX_OPTIONS } from '../outbox/outbox.options';
import { CancelFinisher } from './cancel-finisher';

/** A finisher over a claim that hands out `due` once, and a finish the test decides per event. */
function finisherWith(due: string[], finish: (eventId: string) => Promise<void>) {
  let claimed = false;
  const cancellations = {
    claimUnfinished: async () => {
      if (claimed) return [];
      claimed = true;
      return due.map((eventId): UnfinishedCancel => ({ eventId, reason: 'refund', workflowIds: [`journey:c:${eventId}`] }));
    },
    unfinished: async () => ({ count: 0, oldestSeconds: 0 }),
  } as unknown as EventCancellationsRepository;
  const finisher = new CancelFinisher(
    cancellations,
    {} as JourneyGateway,
    {} as RewardsRepository,
    {} as RewardCausesRepository,
    DEFAULT_OUTBOX_OPTIONS,
    new Registry(),
    {} as RewardMetrics,
  );
  const tried: string[] = [];
  jest.spyOn(finisher, 'finish').mockImplementation(async (cancel) => {
    tried.push(cancel.eventId);
    await finish(cancel.eventId);
    return { signalled: 1, ended: 0 } as never;
  });
  return { finisher, tried };
}

describe('CancelFinisher.drain', () => {
  it('goes on past a cancel that fails on its own: the ones claimed with it are not held back', async () => {
    const { finisher, tried } = finisherWith(['x', 'y', 'z'], async (id) => {
      if (id === 'x') throw new Error('boom');
    });
    expect(await finisher.drain()).toEqual({ finished: 2, unfinished: 1, lastError: 'boom' });
    expect(tried).toEqual(['x', 'y', 'z']);
  });

  it('stops at a failure that says Temporal is away: the rest wait for a later round instead of each timing out', async () => {
    const away = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const { finisher, tried } = finisherWith(['x', 'y', 'z'], async (id) => {
      if (id === 'y') throw away;
    });
    expect(await finisher.drain()).toEqual({ finished: 1, unfinished: 2, lastError: away.message });
    expect(tried).toEqual(['x', 'y']);
  });
});
