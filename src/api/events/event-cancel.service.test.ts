import { DependencyUnavailableError } from '../common/errors';
import type { CancelFinisher } from './cancel-finisher';
import { EventCancelService } from './event-cancel.service';
import type { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';

/** The service's mapping of a failed finish to the dependency that failed; the stored cancel itself is the repository's. */
function serviceWhoseFinishFails(err: unknown): EventCancelService {
  const stored = { userId: 'u-1', cancelledAt: '2026-12-04T10:00:00.000Z', reason: 'refund', first: true, workflowIds: ['w-1'] };
  const cancellations = { cancel: () => Promise.resolve(stored) } as unknown as EventCancellationsRepository;
  const finisher = { finish: () => Promise.reject(err) } as unknown as CancelFinisher;
  return new EventCancelService(cancellations, finisher);
}

describe('EventCancelService: a finish that fails', () => {
  it('names PostgreSQL when PostgreSQL went away during the finish, not Temporal', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failure = await serviceWhoseFinishFails(refused).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(failure).toMatchObject({ dependency: 'postgres', message: expect.stringContaining('PostgreSQL cannot be reached now') });
  });

  it('names Temporal when Temporal is unreachable, and for anything else', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const failure = await serviceWhoseFinishFails(unavailable).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(failure).toMatchObject({ dependency: 'temporal', message: expect.stringContaining('Temporal cannot be reached now') });
    const other = await serviceWhoseFinishFails(new Error('something else')).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(other).toMatchObject({ dependency: 'temporal', message: expect.stringContaining('could not be finished yet (something else)') });
  });
});
