import { ApplicationFailure, QueryNotRegisteredError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../common/errors';
import { toHttpError } from '../common/http-error.filter';
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

  it('is a 503 without Retry-After when Temporal refuses the call (the same call gets the same answer), with Retry-After only when it could not answer now', () => {
    const grpc = (code: number, details: string) => new ServiceError('Failed to describe workflow', { cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }) });
    const refused = toHttpError(journeyError(id, grpc(7, 'Request unauthorized.')));
    expect(refused).toEqual({
      status: 503,
      body: {
        error: {
          code: 'temporal_unavailable',
          message: `Temporal refused the call for ${id} (PERMISSION_DENIED): Request unauthorized. The same request gets the same answer until that changes (Kairos's access to Temporal, or the journey's workflow).`,
          details: [],
        },
      },
    });
    for (const code of [3, 9, 16]) expect(toHttpError(journeyError(id, grpc(code, 'no'))).headers).toBeUndefined();
    // UNAVAILABLE, DEADLINE_EXCEEDED (at a server), RESOURCE_EXHAUSTED, and INTERNAL (also a stream a proxy dropped): not now.
    for (const code of [14, 4, 8, 13]) expect(toHttpError(journeyError(id, grpc(code, 'later,remote_addr=127.0.0.1:7233'))).headers).toEqual({ 'Retry-After': '5' });
  });
});
