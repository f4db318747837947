import { ApplicationFailure, QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../common/errors';
import { journeyError } from './temporal-calls';

const id = 'journey:spring:ann';
const updateFailed = (message: string, type?: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message, type, nonRetryable: true }));

describe('journeyError', () => {
  it('is a 404 for a journey that is not running, and a 409 for a held-step refusal', () => {
    expect(journeyError(id, new WorkflowNotFoundError('gone', id, undefined))).toBeInstanceOf(NotFoundError);
    const refused = journeyError(id, updateFailed('Nothing is held.', 'NotHeld'));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toBe('Nothing is held.');
  });

  it('is a 503 saying the journey is starting a run when it still had no handlers after the wait', () => {
    for (const err of [new QueryNotRegisteredError('Workflow did not register a handler for state.', 3), updateFailed('No registered handler for update: retryAction')]) {
      const mapped = journeyError(id, err);
      expect(mapped).toBeInstanceOf(DependencyUnavailableError);
      expect(mapped.message).toBe(`${id} is starting a new run and has not loaded its campaign yet; try again shortly.`);
    }
  });
});
