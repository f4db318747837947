import { QueryNotRegisteredError, ServiceError, type WorkflowExecutionDescription, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { JourneyView } from '../../workflows/journey/contract';
import { toHttpError } from '../common/http-error.filter';
import { JourneysService } from './journeys.service';
import type { TemporalLinks } from './temporal-links';

const id = 'journey:spring:ann';
const closedAt = new Date('2025-03-01T10:00:00.000Z');

/** A gRPC error as @grpc/grpc-js gives it (isGrpcServiceError: `details` and `metadata`). */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
/** A deadline that ran out after a server took the call (gRPC names its address): Temporal reached, no worker answered. */
const deadlineAtServer = () => grpcError(4, 'Deadline exceeded after 10.001s,remote_addr=127.0.0.1:7233');

const view: JourneyView = {
  workflowId: id,
  campaignKey: 'spring',
  campaignVersion: 1,
  userId: 'ann',
  status: 'ended',
  endReason: null,
  entries: 1,
  states: [],
  paths: [],
  finished: [],
  rewards: [],
  held: [],
  trace: [],
  run: 1,
};

interface Asked {
  runId?: string;
  whileStarting?: boolean;
}

function service(opts: { status: string; state?: () => Promise<JourneyView>; decide?: () => Promise<unknown>; exit?: () => Promise<void>; never?: boolean }) {
  const asked: Asked[] = [];
  const sent: unknown[][] = [];
  const description = { workflowId: id, runId: 'run-1', status: { name: opts.status }, closeTime: opts.status === 'RUNNING' ? undefined : closedAt } as unknown as WorkflowExecutionDescription;
  const journeys = {
    idOf: (campaign: string, user: string) => `journey:${campaign}:${user}`,
    bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
    // Runs this journey had: run-0 (ended) and run-1 (the latest); describing another is Temporal's NotFound.
    describe: async (_workflowId: string, runId?: string) => {
      // `never`: the journey never existed (or is past retention), as Temporal's describe says it.
      if (opts.never) throw new WorkflowNotFoundError('workflow not found', id, undefined);
      if (runId !== undefined && !['run-0', 'run-1'].includes(runId)) throw new WorkflowNotFoundError('workflow not found', id, runId);
      return description;
    },
    state: (_workflowId: string, runId?: string, o: { whileStarting?: boolean } = {}) => {
      asked.push({ runId, whileStarting: o.whileStarting });
      return (opts.state ?? (async () => view))();
    },
    decide: (...args: unknown[]) => {
      sent.push(['decide', ...args]);
      return (opts.decide ?? (async () => ({ pathId: 'p1', stepId: 'notify-crm', decision: 'skip' })))();
    },
    exit: (...args: unknown[]) => {
      sent.push(['exit', ...args]);
      return (opts.exit ?? (async () => undefined))();
    },
  } as unknown as JourneyGateway;
  const links = { workflow: (workflowId: string) => `http://ui.test/workflows/${encodeURIComponent(workflowId)}` } as unknown as TemporalLinks;
  const rewards = { statusesByKey: async () => new Map() } as unknown as RewardsRepository;
  return { sut: new JourneysService(journeys, links, rewards), asked, sent };
}

/** What Temporal answers a signal or update sent to a run that has closed. */
const runClosed = () => new WorkflowNotFoundError('workflow execution already completed', id, 'run-0');

/** What the route answers for `promise`'s rejection, as the HTTP filter maps it. */
async function answer(promise: Promise<unknown>) {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  return toHttpError(err);
}

describe('JourneysService.get', () => {
  it('answers a journey that never existed 404 "No journey", not "No running journey": the GET reads ended journeys too', async () => {
    const { sut, asked } = service({ status: 'RUNNING', never: true });
    const res = await answer(sut.get('spring', 'ann'));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(`No journey ${id} (the user never entered spring, or its history is past Temporal's retention).`);
    expect(res.body.error.message).not.toContain('running');
    expect(asked).toEqual([]);
    // Exit reaches running journeys only: its 404 keeps saying so.
    const exiting = service({ status: 'RUNNING', never: true, exit: () => Promise.reject(new WorkflowNotFoundError('workflow not found', id, undefined)) });
    expect((await answer(exiting.sut.exit('spring', 'ann'))).body.error.message).toBe(`No running journey ${id}.`);
  });

  it('answers a closed run that never registered its handlers (PlanDoesNotCompile) with 409 journey_unreadable, not a 503 "starting" forever', async () => {
    const { sut, asked } = service({ status: 'FAILED', state: () => Promise.reject(new QueryNotRegisteredError('Workflow did not register a handler for state. Registered queries: [__stack_trace]', 3)) });
    const res = await answer(sut.get('spring', 'ann'));
    expect(res).toEqual({
      status: 409,
      body: {
        error: {
          code: 'journey_unreadable',
          message: expect.stringContaining(`${id} cannot be read: its last run closed (failed, at 2025-03-01T10:00:00.000Z) and cannot answer the state query`),
          details: [],
        },
      },
    });
    expect(res.body.error.message).toContain('Workflow did not register a handler for state');
    expect(res.body.error.message).toContain('says why it closed failed (http://ui.test/workflows/journey%3Aspring%3Aann).');
    expect(res.headers).toBeUndefined();
    // Asked once, the described run by its id: a closed run starts no more.
    expect(asked).toEqual([{ runId: 'run-1', whileStarting: false }]);
  });

  it('answers 409 too when Temporal says the closed run is not ready for queries (FAILED_PRECONDITION: its first task never completed)', async () => {
    const { sut } = service({ status: 'TERMINATED', state: () => Promise.reject(new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'Workflow task is not scheduled yet.') })) });
    const res = await answer(sut.get('spring', 'ann'));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'journey_unreadable', message: expect.stringContaining('its last run closed (terminated, at 2025-03-01T10:00:00.000Z)') });
    expect(res.body.error.message).toContain('(Workflow task is not scheduled yet), nor will it later. Its history in Temporal says why it was terminated (http://ui.test/');
  });

  it('still answers 503 with Retry-After for a closed run when no worker answers (the worker may come back)', async () => {
    const { sut } = service({ status: 'FAILED', state: () => Promise.reject(new ServiceError('Failed to query Workflow', { cause: deadlineAtServer() })) });
    const res = await answer(sut.get('spring', 'ann'));
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'temporal_unavailable' } }, headers: { 'Retry-After': '5' } });
  });

  it('keeps the 503 "starting a new run" for a running journey whose run has no handlers yet', async () => {
    const { sut, asked } = service({ status: 'RUNNING', state: () => Promise.reject(new QueryNotRegisteredError('Workflow did not register a handler for state.', 3)) });
    const res = await answer(sut.get('spring', 'ann'));
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'temporal_unavailable', message: `${id} is starting a new run and has not loaded its campaign yet; try again shortly.` } }, headers: { 'Retry-After': '5' } });
    expect(asked).toEqual([{ runId: 'run-1', whileStarting: true }]);
  });

  it('answers a closed run that can answer as before', async () => {
    const { sut } = service({ status: 'COMPLETED' });
    await expect(sut.get('spring', 'ann')).resolves.toMatchObject({ workflowId: id, temporalStatus: 'completed', temporalUrl: 'http://ui.test/workflows/journey%3Aspring%3Aann' });
  });

  it('names the run it read (runId), for an exit, retry or skip to reach that run only', async () => {
    const { sut } = service({ status: 'RUNNING' });
    await expect(sut.get('spring', 'ann')).resolves.toMatchObject({ workflowId: id, runId: 'run-1' });
  });
});

describe('JourneysService.exit and decide: the run the caller saw', () => {
  it('sends the runId and the since of the hold with the call', async () => {
    const { sut, sent } = service({ status: 'RUNNING' });
    await sut.exit('spring', 'ann', { reason: 'asked', runId: 'run-1' });
    await sut.decide('spring', 'ann', 'skip', { stepId: 'notify-crm', runId: 'run-1', since: '2025-03-01T10:00:00.000Z' }, 'k-1');
    expect(sent).toEqual([
      ['exit', id, 'asked', 'run-1'],
      ['decide', id, 'skip', { version: 1, stepId: 'notify-crm', pathId: undefined, since: '2025-03-01T10:00:00.000Z' }, 'held-decision:k-1', 'run-1'],
    ]);
  });

  it('answers 409 run_changed when the run seen has closed and the journey runs on in another (a new entry, or continued as new)', async () => {
    const { sut } = service({ status: 'RUNNING', exit: () => Promise.reject(runClosed()), decide: () => Promise.reject(runClosed()) });
    for (const call of [() => sut.exit('spring', 'ann', { runId: 'run-0' }), () => sut.decide('spring', 'ann', 'retry', { runId: 'run-0' })]) {
      const res = await answer(call());
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 409, code: 'run_changed' });
      expect(res.body.error.message).toBe(
        `Run run-0 of ${id} is not running any more: the journey runs on in run run-1 (a new entry, or the same journey continued as new). Nothing was done; read the journey again and decide on what it shows now.`,
      );
    }
  });

  it('keeps the 404 for a runId the journey never had (a typo, another journey\'s run): no run changed (review-51-diff, finding 6)', async () => {
    const { sut } = service({ status: 'RUNNING', exit: () => Promise.reject(runClosed()), decide: () => Promise.reject(runClosed()) });
    expect((await answer(sut.exit('spring', 'ann', { runId: 'run-x' }))).status).toBe(404);
    expect((await answer(sut.decide('spring', 'ann', 'retry', { runId: 'run-x' }))).status).toBe(404);
  });

  it('keeps the 404 when no run runs, and without a runId', async () => {
    const closed = service({ status: 'COMPLETED', exit: () => Promise.reject(runClosed()) });
    expect((await answer(closed.sut.exit('spring', 'ann', { runId: 'run-0' }))).status).toBe(404);
    const unnamed = service({ status: 'RUNNING', exit: () => Promise.reject(runClosed()) });
    expect((await answer(unnamed.sut.exit('spring', 'ann'))).status).toBe(404);
  });
});

describe('JourneysService.decide', () => {
  it('says a retry or skip that timed out after Temporal took it may still apply: 503 without Retry-After, check the journey before repeating', async () => {
    const { sut } = service({ status: 'RUNNING', decide: () => Promise.reject(new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', { cause: deadlineAtServer() })) });
    const res = await answer(sut.decide('spring', 'ann', 'skip', { stepId: 'notify-crm' }));
    expect(res.status).toBe(503);
    expect(res.headers).toBeUndefined();
    // Its own code: a 503 without Retry-After also says Temporal refused the call, where nothing was handed over.
    expect(res.body.error.code).toBe('decision_pending');
    expect(res.body.error.message).toBe(
      `The skip was handed to ${id}, which did not answer within 10 s (no worker has taken it yet): it may still apply when a worker runs. Check GET /v1/journeys/spring/ann (its held steps and trace) before sending it again, or send it again with the same Idempotency-Key, which is carried out once.`,
    );
  });

  it('keeps "try again shortly" when Temporal was not reached at all (nothing was handed over)', async () => {
    const { sut } = service({ status: 'RUNNING', decide: () => Promise.reject(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: grpcError(4, 'Deadline exceeded after 10.001s') })) });
    const res = await answer(sut.decide('spring', 'ann', 'retry', {}));
    expect(res).toMatchObject({ status: 503, body: { error: { message: `Temporal cannot be reached now, so ${id} could not be asked; try again shortly.` } }, headers: { 'Retry-After': '5' } });
  });
});
