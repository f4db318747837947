import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import { compileCampaign, type CompiledPlan } from '../../domain/compiler';
import type { PlanStore } from '../../store/plan-store';
import type { CampaignRow, CampaignStatus, CampaignsRepository, StatusAndVersion } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { ConflictError, DependencyUnavailableError, InputError } from '../common/errors';
import type { CampaignIndex } from '../routing/campaign-index';
import { BatchSchedules, isScheduleRefusal, ScheduleRefusedError } from './batch-schedules.service';
import type { CampaignListCountsService } from './campaign-list-counts.service';
import { CampaignsService } from './campaigns.service';

const weekly = (entry: Record<string, unknown>, schedule?: Record<string, unknown>) => ({
  key: 'weekly',
  name: 'Weekly',
  entry: { cron: '0 9 * * 1', ...entry },
  ...(schedule ? { schedule } : {}),
  initial: 'done',
  states: { done: { end: true } },
});

/** A gRPC error as @grpc/grpc-js gives it (isGrpcServiceError: `details` and `metadata`). */
const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code, details: message, metadata: {} });

/**
 * A Temporal client as far as a Schedule's sync uses it: no Schedule exists,
 * and creating or updating one fails with `refusal` (the SDK's TypeError for
 * an "Invalid schedule spec" INVALID_ARGUMENT, by default).
 */
function temporalRefusing(refusal: () => Error, exists = false): Client {
  const handle = (scheduleId: string) => ({
    describe: async () => {
      if (!exists) throw new ScheduleNotFoundError('schedule not found', scheduleId);
      return {};
    },
    update: async () => {
      throw refusal();
    },
  });
  return {
    withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
    schedule: {
      getHandle: handle,
      create: async () => {
        throw refusal();
      },
    },
  } as unknown as Client;
}

/**
 * A CampaignsService over one campaign row whose changeStatus and
 * restoreStatus compare and set as the repository's do; `meanwhile` runs
 * after the activation is stored and before it is undone (another request
 * landing there).
 */
function campaignsWith(definition: unknown, start: StatusAndVersion, temporal: Client, meanwhile: (row: CampaignRow) => void = () => {}) {
  const row: CampaignRow = { key: 'weekly', name: 'Weekly', ...start, latestVersion: 2, createdAt: 'c', updatedAt: 'u' };
  const settled: string[] = [];
  const repo = {
    get: async () => ({ ...row }),
    definition: async () => definition,
    poolRefs: async () => [],
    hasCronVersion: async () => true,
    changeStatus: async (_key: string, to: CampaignStatus, from: readonly CampaignStatus[], version?: number) => {
      if (!from.includes(row.status)) return null;
      const before = { status: row.status, activeVersion: row.activeVersion };
      row.status = to;
      if (version !== undefined) row.activeVersion = version;
      const campaign = { ...row };
      meanwhile(row);
      return { campaign, mark: 'm1', before };
    },
    restoreStatus: async (_key: string, expected: StatusAndVersion, restored: StatusAndVersion) => {
      if (row.status !== expected.status || row.activeVersion !== expected.activeVersion) return null;
      Object.assign(row, restored);
      return { ...row };
    },
    settleTemporal: async (_key: string, mark: string) => void settled.push(mark),
  };
  const plans = {
    activePlan: async (c: CampaignRow): Promise<CompiledPlan | null> => {
      const compiled = compileCampaign(definition, { version: c.activeVersion ?? 1 });
      return compiled.ok ? compiled.value : null;
    },
  };
  const service = new CampaignsService(
    repo as unknown as CampaignsRepository,
    { reload: async () => {} } as unknown as CampaignIndex,
    new BatchSchedules(temporal, { temporal: { taskQueue: 'kairos-journeys' } } as Config),
    plans as unknown as PlanStore,
    {} as CampaignListCountsService,
    {} as JourneyGateway,
  );
  return { row, settled, service };
}

const failureOf = async (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  );

describe('a Schedule Temporal refuses as sent is not an outage (review 48, finding 3)', () => {
  it('tells a refusal (the SDK TypeError, INVALID_ARGUMENT, wrapped or not) from an outage', () => {
    expect(isScheduleRefusal(new TypeError('unknown time zone America/Coyhaique'))).toBe(true);
    expect(isScheduleRefusal(grpcError(3, '3 INVALID_ARGUMENT: bad spec'))).toBe(true);
    expect(isScheduleRefusal(new Error('Unexpected error', { cause: grpcError(3, '3 INVALID_ARGUMENT: bad') }))).toBe(true);
    expect(isScheduleRefusal(grpcError(14, '14 UNAVAILABLE: connection refused'))).toBe(false);
    expect(isScheduleRefusal(new Error('deadline', { cause: grpcError(4, '4 DEADLINE_EXCEEDED') }))).toBe(false);
    expect(new ScheduleRefusedError('unknown time zone America/Coyhaique').field).toBe('timezone');
    expect(new ScheduleRefusedError('invalid cron string "0 9 * *"').field).toBe('cron');
  });

  it('answers 400 at entry.timezone and undoes the activation when Temporal refuses the zone; the mark stays for the sweep', async () => {
    const refusal = () => new TypeError('unknown time zone Europe/Paris');
    const { row, settled, service } = campaignsWith(weekly({ timezone: 'Europe/Paris' }), { status: 'draft', activeVersion: null }, temporalRefusing(refusal));
    const err = await failureOf(service.activate('weekly', 2));
    expect(err).toBeInstanceOf(InputError);
    const input = err as InputError;
    expect(input.code).toBe('schedule_refused');
    expect(input.details).toEqual([{ path: 'entry.timezone', message: expect.stringContaining('unknown time zone Europe/Paris') }]);
    expect(input.message).toContain('Nothing changed: the campaign is draft.');
    expect(row).toMatchObject({ status: 'draft', activeVersion: null });
    expect(settled).toEqual([]);
  });

  it('puts back the version that ran when a switch is refused, and names schedule.timezone when that gave the zone', async () => {
    const refusal = () => new TypeError('unknown time zone Europe/Paris');
    const { row, service } = campaignsWith(weekly({}, { timezone: 'Europe/Paris' }), { status: 'active', activeVersion: 1 }, temporalRefusing(refusal, true));
    const err = (await failureOf(service.activate('weekly', 2))) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.details.map((d) => d.path)).toEqual(['schedule.timezone']);
    expect(err.message).toContain('Nothing changed: the campaign is active (version 1).');
    expect(row).toMatchObject({ status: 'active', activeVersion: 1 });
  });

  it('names entry.cron when the refusal is about the cron (an INVALID_ARGUMENT from the server)', async () => {
    const refusal = () => new Error('Unexpected error while making gRPC request', { cause: grpcError(3, '3 INVALID_ARGUMENT: invalid cron string') });
    const { row, service } = campaignsWith(weekly({}), { status: 'paused', activeVersion: 1 }, temporalRefusing(refusal, true));
    const err = (await failureOf(service.activate('weekly', 2))) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.details.map((d) => d.path)).toEqual(['entry.cron']);
    expect(row).toMatchObject({ status: 'paused', activeVersion: 1 });
  });

  it('keeps a change that landed after the refused activation: 409 at the path, nothing undone', async () => {
    const refusal = () => new TypeError('unknown time zone Europe/Paris');
    const { row, service } = campaignsWith(weekly({ timezone: 'Europe/Paris' }), { status: 'draft', activeVersion: null }, temporalRefusing(refusal), (r) => {
      r.status = 'paused';
    });
    const err = (await failureOf(service.activate('weekly', 2))) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('schedule_refused');
    expect(err.details.map((d) => d.path)).toEqual(['entry.timezone']);
    expect(err.message).toContain('is now paused, so this activation was not undone');
    expect(row).toMatchObject({ status: 'paused', activeVersion: 2 });
  });

  it('answers a refused pause with a 503 that invites no retry; the pause stays stored', async () => {
    const refusal = () => new TypeError('unknown time zone Europe/Paris');
    const { row, service } = campaignsWith(weekly({ timezone: 'Europe/Paris' }), { status: 'active', activeVersion: 1 }, temporalRefusing(refusal, true));
    const err = (await failureOf(service.pause('weekly'))) as DependencyUnavailableError;
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err.code).toBe('schedule_refused');
    expect(err.retryAfterSeconds).toBeNull();
    expect(row.status).toBe('paused');
  });

  it('still answers an outage with the 503 and Retry-After, the activation stored', async () => {
    const outage = () => new Error('Unexpected error', { cause: grpcError(14, '14 UNAVAILABLE: connection refused') });
    const { row, service } = campaignsWith(weekly({ timezone: 'Europe/Paris' }), { status: 'draft', activeVersion: null }, temporalRefusing(outage));
    const err = (await failureOf(service.activate('weekly', 2))) as DependencyUnavailableError;
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err.code).toBe('temporal_unavailable');
    expect(err.retryAfterSeconds).toBe(5);
    expect(row).toMatchObject({ status: 'active', activeVersion: 2 });
  });
});
