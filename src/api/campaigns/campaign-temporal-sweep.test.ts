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
 * change (`change`) adds a mark of its own (`young` ones were made within
 * the grace); settleTemporal removes one mark, settleTemporalUpTo those up
 * to an id that are not young.
 */
function sweepOver(
  first: CampaignRow,
  opts: { cron?: boolean; syncFails?: () => boolean; duringSync?: (change: (c: CampaignRow, o?: { young?: boolean; settled?: boolean }) => void) => void } = {},
) {
  let campaign = first;
  let marks: Array<{ id: number; young: boolean }> = [{ id: 1, young: false }];
  let nextId = 2;
  const change = (c: CampaignRow, { young = false, settled = false }: { young?: boolean; settled?: boolean } = {}) => {
    campaign = c;
    const id = nextId++;
    // `settled`: the change's own request synced it and removed its mark.
    if (!settled) marks.push({ id, young });
  };
  const synced: Array<[CampaignRow['status'], number | null]> = [];
  const told: string[] = [];
  const repo = {
    unsettledTemporal: async () => (marks.some((m) => !m.young) ? [campaign.key] : []),
    withTemporalMark: async () => ({ campaign: { ...campaign }, lastMark: marks.length ? String(Math.max(...marks.map((m) => m.id))) : null }),
    settleTemporalUpTo: async (_key: string, upTo: string) => {
      marks = marks.filter((m) => m.id > Number(upTo) || m.young);
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
    { activePlan: async () => null } as unknown as PlanStore,
    journeys as unknown as JourneyGateway,
    registry,
  );
  const gauge = async () => (await registry.getSingleMetric('kairos_campaign_temporal_unsettled')!.get()).values[0]?.value;
  return { sweep, synced, told, gauge, marked: () => marks.length > 0, marks: () => marks.map((m) => m.id) };
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

  it('syncs again when the campaign changed during its sync: the Schedule ends as the campaign does, and the marks go only then', async () => {
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

  it("syncs again when another request changed the campaign and settled its own mark during this sync (review-47-diff, finding 1): this stale sync is not the last", async () => {
    let once = false;
    const { sweep, synced, marked } = sweepOver(row('paused', 1), {
      duringSync: (change) => {
        if (once) return;
        once = true;
        // Request B activated v2, synced it and removed its mark before this sweep's sync of "paused" reached Temporal.
        change(row('active', 2), { settled: true });
      },
    });
    expect(await sweep.sweep(0)).toBe(0);
    expect(synced).toEqual([
      ['paused', 1],
      ['active', 2],
    ]);
    expect(marked()).toBe(false);
  });

  it("leaves a younger change's mark to its own request (review-47-diff, finding 2): settling what it synced takes only older marks", async () => {
    let once = false;
    const { sweep, marks } = sweepOver(row('paused', 1), {
      duringSync: (change) => {
        if (once) return;
        once = true;
        change(row('active', 2), { young: true });
      },
    });
    expect(await sweep.sweep(0)).toBe(0);
    expect(marks()).toEqual([2]);
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
