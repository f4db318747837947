import type { CampaignRow, CampaignStatus, CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { PlanStore } from '../../store/plan-store';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { CampaignIndex } from '../routing/campaign-index';
import { InputError } from '../common/errors';
import type { BatchSchedules } from './batch-schedules.service';
import type { CampaignListCountsService } from './campaign-list-counts.service';
import { CampaignsService } from './campaigns.service';

/** Saved before the compiler refused an aggregate in exitOn.if: it compiles as stored, and its journeys run it. */
const stored = {
  key: 'welcome',
  name: 'Welcome',
  entry: { on: 'order.completed' },
  exitOn: [{ on: 'complaint', if: "event.severity == 'high' or count('complaint') >= 3" }],
  initial: 'wait',
  states: { wait: { transitions: [{ to: 'done', on: 'order.shipped' }] }, done: { end: true } },
};

function serviceOver(status: CampaignStatus, activeVersion: number | null) {
  const row: CampaignRow = { key: 'welcome', name: 'Welcome', status, activeVersion, latestVersion: 2, createdAt: 'c', updatedAt: 'u' };
  const repo = {
    get: async () => ({ ...row }),
    definition: async () => stored,
    poolRefs: async () => [],
    hasCronVersion: async () => false,
    changeStatus: async (_key: string, to: CampaignStatus, from: readonly CampaignStatus[], version?: number) => {
      if (!from.includes(row.status)) return null;
      row.status = to;
      if (version !== undefined) row.activeVersion = version;
      return { ...row };
    },
  };
  return new CampaignsService(
    repo as unknown as CampaignsRepository,
    { reload: async () => {} } as unknown as CampaignIndex,
    { sync: async () => {} } as unknown as BatchSchedules,
    {} as PlanStore,
    {} as CampaignListCountsService,
    {} as JourneyGateway,
  );
}

describe('activating a stored version against rules added since it was saved (review-46-diff, finding 2)', () => {
  it('resumes the paused campaign on the version its journeys run', async () => {
    await expect(serviceOver('paused', 1).activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
  });

  it('admits another version, or a first activation, as a new one: refused at the path, saying why', async () => {
    for (const [status, active] of [['paused', 2], ['active', 2], ['draft', null]] as const) {
      const err: unknown = await serviceOver(status, active).activate('welcome', 1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details.map((d) => d.path)).toEqual(['exitOn[0].if']);
      expect((err as InputError).message).toBe('Version 1 of welcome cannot be activated: it does not compile, as it stands, against the current reward pools and rules.');
    }
  });
});
