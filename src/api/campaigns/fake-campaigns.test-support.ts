import type { CampaignRow, CampaignStatus, CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { PlanStore } from '../../store/plan-store';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { CampaignIndex } from '../routing/campaign-index';
import type { BatchSchedules } from './batch-schedules.service';
import type { CampaignListCountsService } from './campaign-list-counts.service';
import { compileStoredCampaign } from '../../domain/compiler';
import { CampaignsService } from './campaigns.service';

/** The smallest campaign that compiles (no pools, no cron: no Temporal call on a status change). */
const smallest = { key: 'welcome', name: 'Welcome', entry: { on: 'order.completed' }, initial: 'done', states: { done: { end: true } } };

/**
 * A CampaignsService over a campaigns table of one row (`welcome`, latest
 * version 2, every version `definition`) whose changeStatus compares and
 * sets on `status in from` (and the active version, when asked), as the
 * repository's does; `beforeChange` runs
 * between the service's read and that update (a concurrent request landing
 * there).
 */
export function fakeCampaigns(
  status: CampaignStatus,
  opts: { beforeChange?: (row: CampaignRow) => void; definition?: unknown; activeVersion?: number | null; definitions?: Record<number, unknown> } = {},
) {
  const { beforeChange = () => {}, definition = smallest } = opts;
  const definitionOf = (version: number) => opts.definitions?.[version] ?? definition;
  const activeVersion = opts.activeVersion !== undefined ? opts.activeVersion : status === 'draft' ? null : 1;
  const row: CampaignRow = { key: 'welcome', name: 'Welcome', status, activeVersion, latestVersion: 2, createdAt: 'c', updatedAt: 'u' };
  const asked: Array<readonly CampaignStatus[]> = [];
  /** The campaigns whose running journeys were told their schedule (startScheduleNotice). */
  const told: string[] = [];
  const repo = {
    get: async () => ({ ...row }),
    definition: async (_key: string, version: number) => definitionOf(version),
    // Every version but the latest took entries.
    versionInfos: async () => [1, 2].map((version) => ({ version, createdAt: 'c', activatedAt: version <= (row.activeVersion ?? 0) ? 'a' : null, layout: null })),
    poolRefs: async () => [],
    hasCronVersion: async () => false,
    changeStatus: async (_key: string, to: CampaignStatus, from: readonly CampaignStatus[], version?: number, whileActive?: number | null) => {
      beforeChange(row);
      asked.push(from);
      if (!from.includes(row.status)) return null;
      if (whileActive !== undefined && row.activeVersion !== whileActive) return null;
      const before = { status: row.status, activeVersion: row.activeVersion };
      row.status = to;
      if (version !== undefined) row.activeVersion = version;
      return { campaign: { ...row }, mark: 'marked', before };
    },
    settleTemporal: async () => true,
  };
  const service = new CampaignsService(
    repo as unknown as CampaignsRepository,
    { reload: async () => {} } as unknown as CampaignIndex,
    { sync: async () => {} } as unknown as BatchSchedules,
    {
      activePlan: async (c: { key: string; activeVersion: number | null }) => {
        if (c.activeVersion === null) return null;
        // As PlanStore does: a stored version compiles as its journeys compile it.
        const compiled = compileStoredCampaign(definitionOf(c.activeVersion), { version: c.activeVersion });
        return compiled.ok ? compiled.value : null;
      },
    } as unknown as PlanStore,
    {} as CampaignListCountsService,
    {
      bounded: <T>(_ms: number, call: () => Promise<T>) => call(),
      startScheduleNotice: async (key: string) => {
        told.push(key);
        return `campaign-schedule:${key}`;
      },
    } as unknown as JourneyGateway,
  );
  return { row, asked, service, told };
}
