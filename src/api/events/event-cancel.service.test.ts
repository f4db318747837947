import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../common/errors';
import type { CancelFinisher } from './cancel-finisher';
import { EventCancelService } from './event-cancel.service';
import type { EventCancellation, EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { TemporalUnreachableError } from '../../temporal/connectivity';

/** The cancel as the repository keeps it: a first cancel unless `kept` says otherwise. */
function storedCancel(kept: Partial<EventCancellation> = {}): EventCancellation {
  return { userId: 'u-1', cancelledAt: '2026-12-04T10:00:00.000Z', reason: 'refund', first: true, finishedBefore: false, workflowIds: ['w-1'], lateDeliveries: 0, ...kept };
}

/** The service's mapping of a failed finish to the dependency that failed; the stored cancel itself is the repository's. */
function serviceWhoseFinishFails(err: unknown, kept?: Partial<EventCancellation>, finished: () => Promise<void> = () => Promise.resolve()): EventCancelService {
  const cancellations = { cancel: () => Promise.resolve(storedCancel(kept)), finished } as unknown as EventCancellationsRepository;
  const finisher = { finish: () => Promise.reject(err) } as unknown as CancelFinisher;
  return new EventCancelService(cancellations, finisher);
}

const unreachable = () => new TemporalUnreachableError('Temporal did not answer');

describe('EventCancelService: a finish that fails', () => {
  // Each failure is logged with its detail; the tests read the log calls rather than print them.
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('names PostgreSQL when PostgreSQL went away during the finish, not Temporal', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failure = await serviceWhoseFinishFails(refused).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(failure).toMatchObject({ dependency: 'postgres', message: expect.stringContaining('PostgreSQL cannot be reached now') });
  });

  it('names Temporal when Temporal is unreachable, or answered a signal with a gRPC error', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const failure = await serviceWhoseFinishFails(unavailable).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(failure).toMatchObject({ dependency: 'temporal', code: 'temporal_unavailable', message: expect.stringContaining('Temporal cannot be reached now') });
    // A deadline that ran out after a server took the call: Temporal was there, but slow.
    const slow = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 15.001s (remote_addr=127.0.0.1:7233)'), { code: 4, details: 'Deadline exceeded', metadata: {} });
    const slowFailure = await serviceWhoseFinishFails(slow).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(slowFailure).toMatchObject({ dependency: 'temporal', code: 'temporal_unavailable', message: expect.stringContaining('Temporal did not answer within 15 s') });
  });

  it("keeps grpc-js's text (Temporal's internal address) out of the answer, and logs it with the request id", async () => {
    const deadline = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 15s,remote_addr=10.0.0.1:7233'), { code: 4 });
    const exhausted = Object.assign(new Error('8 RESOURCE_EXHAUSTED: namespace rate limit exceeded, remote_addr=10.0.0.1:7233'), { code: 8, details: 'namespace rate limit exceeded, remote_addr=10.0.0.1:7233' });
    for (const [err, says] of [
      [deadline, 'Temporal did not answer within 15 s'],
      [exhausted, 'Temporal did not take every signal to its journeys (gRPC RESOURCE_EXHAUSTED)'],
    ] as const) {
      const failure = await serviceWhoseFinishFails(err).cancel('ev-1', 'refund', 'req-7').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DependencyUnavailableError);
      expect((failure as Error).message).toContain(says);
      expect((failure as Error).message).not.toMatch(/remote_addr|10\.0\.0\.1/);
      expect(warn).toHaveBeenLastCalledWith(expect.objectContaining({ requestId: 'req-7', eventId: 'ev-1', dependency: 'temporal', err: err.message }));
    }
  });

  it('answers a refusal of the signals (PERMISSION_DENIED, INVALID_ARGUMENT) without Retry-After; a Temporal that does not answer now with it', async () => {
    // docs/api.md: a 503 without Retry-After is one that repeating the same request does not help.
    for (const [err, status] of [
      [Object.assign(new Error('7 PERMISSION_DENIED: Request unauthorized., remote_addr=10.0.0.1:7233'), { code: 7 }), 'PERMISSION_DENIED'],
      [Object.assign(new Error('3 INVALID_ARGUMENT: bad signal'), { code: 3 }), 'INVALID_ARGUMENT'],
    ] as const) {
      const failure = await serviceWhoseFinishFails(err).cancel('ev-1', 'refund').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DependencyUnavailableError);
      expect(failure).toMatchObject({ dependency: 'temporal', code: 'temporal_unavailable', retryAfterSeconds: null, message: expect.stringContaining(`refused the signals to its journeys (gRPC ${status})`) });
      expect((failure as Error).message).not.toMatch(/remote_addr|10\.0\.0\.1/);
    }
    for (const code of [4, 8, 14]) {
      const failure = await serviceWhoseFinishFails(Object.assign(new Error(`${code} not now`), { code })).cancel('ev-1', 'refund').catch((e: unknown) => e);
      expect(failure).toMatchObject({ dependency: 'temporal', retryAfterSeconds: 5 });
    }
  });

  // The route's own messages (the cancel is kept and finished later), with the codes docs/operations.md lists for PostgreSQL's failures.
  it.each([
    ['a statement timeout', '57014', 'postgres_timeout', 'for running too long'],
    ['a deadlock', '40P01', 'conflict_retry', 'SQLSTATE 40P01'],
    ['a serialization failure', '40001', 'conflict_retry', 'SQLSTATE 40001'],
  ])('names PostgreSQL for %s in the ledger pass, with its own code, not Temporal', async (_what, sqlstate, code, says) => {
    // As TypeORM throws it: QueryFailedError, the driver's error in `driverError`.
    const failed = Object.assign(new Error('canceling statement'), { driverError: { code: sqlstate } });
    const failure = await serviceWhoseFinishFails(failed).cancel('ev-1', 'refund').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(failure).toMatchObject({ dependency: 'postgres', code, message: expect.stringMatching(new RegExp(`kept as unfinished.*${says}`)) });
  });

  it("leaves any other failure to the global filter: it is neither Temporal's nor a known PostgreSQL one", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'kind')");
    await expect(serviceWhoseFinishFails(bug).cancel('ev-1', 'refund')).rejects.toBe(bug);
  });
});

describe('EventCancelService: a repeated cancel', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('of a cancel finished before answers as the first did while Temporal cannot be told, and is finished again', async () => {
    const finished = jest.fn(() => Promise.resolve());
    const answer = await serviceWhoseFinishFails(unreachable(), { first: false, finishedBefore: true }, finished).cancel('ev-1', 'other');
    expect(answer).toEqual({ id: 'ev-1', userId: 'u-1', cancelledAt: '2026-12-04T10:00:00.000Z', reason: 'refund', alreadyCancelled: true, journeys: [], ended: [] });
    expect(finished).toHaveBeenCalledWith('ev-1', 0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('of a cancel finished before still answers a failure in the ledger: it stays unfinished for the finisher', async () => {
    const finished = jest.fn(() => Promise.resolve());
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failure = await serviceWhoseFinishFails(refused, { first: false, finishedBefore: true }, finished).cancel('ev-1', 'other').catch((e: unknown) => e);
    expect(failure).toMatchObject({ dependency: 'postgres', code: 'postgres_unavailable' });
    expect(finished).not.toHaveBeenCalled();
  });

  it('of a cancel finished before names PostgreSQL when it fails finishing it again', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failure = await serviceWhoseFinishFails(unreachable(), { first: false, finishedBefore: true }, () => Promise.reject(refused))
      .cancel('ev-1', 'other')
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ dependency: 'postgres', code: 'postgres_unavailable' });
  });

  it('of a cancel not finished yet answers 503 as the first did: its journeys are still to be told', async () => {
    const finished = jest.fn(() => Promise.resolve());
    const failure = await serviceWhoseFinishFails(unreachable(), { first: false, finishedBefore: false }, finished).cancel('ev-1', 'other').catch((e: unknown) => e);
    expect(failure).toMatchObject({ dependency: 'temporal', code: 'temporal_unavailable' });
    expect(finished).not.toHaveBeenCalled();
  });
});
