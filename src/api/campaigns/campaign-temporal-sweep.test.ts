import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { PlanStore } from '../../store/plan-store';
import type { CampaignRow, CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { BatchSchedules } from './batch-schedules.service';
import { CampaignTemporalSweep } from './campaign-temporal-sweep';

const row = (status: CampaignRow['status'], activeVersion: number | null): CampaignRow => ({
  key: 'nightly',
  name: 'Nightly',
  status,
  activeVersion,
  latestVersion: 2,
  createdAt: 'c',
  updatedAt: 'u',
});

/**
 * A marks table of one campaign as the repository keeps it: each status
 * change (`change`) writes a new mark; settling removes the mark only if it
 * is the one read.
 */
function sweepOver(first: CampaignRow, opts: { cron?: boolean; syncFails?: () => boolean; duringSync?: (change: (c: CampaignRow) => void) => void } = {}) {
  let campaign = first;
  let mark: number | null = 1;
  const change = (c: CampaignRow) => {
    campaign = c;
    mark = (mark ?? 0) + 1;
  };
  const synced: Array<[CampaignRow['status'], number | null]> = [];
  const told: string[] = [];
  const repo = {
    unsettledTemporal: async () => (mark === null ? [] : [campaign.key]),
    withTemporalMark: async () => (mark === null ? null : { campaign: { ...campaign }, mark: String(mark) }),
    settleTemporal: async (_key: string, read: string) => {
      if (String(mark) !== read) return false;
      mark = null;
      return true;
    },
    hasCronVersion: async () => opts.cron ?? true,
  };
  const schedules = {
    sync: async (c: CampaignRow) => {
      if (opts.syncFails?.()) throw new Error('Temporal is away');
      synced.push([c.status, c.activeVersion]);
      opts.duringSync?.(change);
    },
  };
  const journeys = { bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(), startArchiveNotice: async (key: string) => void told.push(key) };
  const registry = new Registry();
  const sweep = new CampaignTemporalSweep(
    repo as unknown as CampaignsRepository,
    schedules as unknown as BatchSchedules,
    { plan: async () => null } as unknown as PlanStore,
    journeys as unknown as JourneyGateway,
    registry,
  );
  const gauge = async () => (await registry.getSingleMetric('kairos_campaign_temporal_unsettled')!.get()).values[0]?.value;
  return { sweep, synced, told, gauge, marked: () => mark !== null };
}

describe('CampaignTemporalSweep: a status change whose Temporal side was left behind (review-46-campaigns, finding 2)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('syncs the Schedule to the status the campaign has now and removes its mark', async () => {
    const { sweep, synced, marked, gauge } = sweepOver(row('paused', 1));
    expect(await sweep.sweep(0)).toBe(0);
    expect(synced).toEqual([['paused', 1]]);
    expect(marked()).toBe(false);
    expect(await gauge()).toBe(0);
  });

  it('syncs again when the campaign changed during its sync: the Schedule ends as the campaign does, and the mark goes only then', async () => {
    let once = false;
    const { sweep, synced, marked } = sweepOver(row('paused', 1), {
      duringSync: (change) => {
        if (once) return;
        once = true;
        change(row('active', 2));
      },
    });
    expect(await sweep.sweep(0)).toBe(0);
    expect(synced).toEqual([
      ['paused', 1],
      ['active', 2],
    ]);
    expect(marked()).toBe(false);
  });

  it('keeps the mark while Temporal is away, counts it, and settles it on a later sweep', async () => {
    let away = true;
    const { sweep, synced, marked, gauge } = sweepOver(row('active', 1), { syncFails: () => away });
    expect(await sweep.sweep(0)).toBe(1);
    expect(marked()).toBe(true);
    expect(await gauge()).toBe(1);
    away = false;
    expect(await sweep.sweep(0)).toBe(0);
    expect(synced).toEqual([['active', 1]]);
    expect(await gauge()).toBe(0);
  });

  it("tells an archived campaign's running journeys, and none of one that never took entries; no Schedule without a cron version", async () => {
    const archived = sweepOver(row('archived', 3), { cron: false });
    expect(await archived.sweep.sweep(0)).toBe(0);
    expect(archived.told).toEqual(['nightly']);
    expect(archived.synced).toEqual([]);
    const never = sweepOver(row('archived', null), { cron: false });
    expect(await never.sweep.sweep(0)).toBe(0);
    expect(never.told).toEqual([]);
    expect(never.marked()).toBe(false);
  });

  it('runs one sweep at a time: a second call while one runs joins it', async () => {
    const { sweep, synced } = sweepOver(row('paused', 1));
    const [a, b] = await Promise.all([sweep.sweep(0), sweep.sweep(0)]);
    expect([a, b]).toEqual([0, 0]);
    expect(synced).toHaveLength(1);
  });
});
