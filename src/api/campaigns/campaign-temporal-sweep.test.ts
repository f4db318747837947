import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { PlanStore } from '../../store/plan-store';
import type { CampaignRow, CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { ScheduleRefusedError, ScheduleSyncError, type BatchSchedules, type ScheduleState } from './batch-schedules.service';
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
/** A sweep over fakes of the campaigns table, Temporal's Schedules and journeys; no plan is ever active. */
function sweepWith(repo: object, schedules: object, journeys: object): { sweep: CampaignTemporalSweep; registry: Registry } {
  const registry = new Registry();
  const sweep = new CampaignTemporalSweep(
    repo as unknown as CampaignsRepository,
    schedules as unknown as BatchSchedules,
    { activePlan: async () => null } as unknown as PlanStore,
    journeys as unknown as JourneyGateway,
    registry,
  );
  return { sweep, registry };
}

function sweepOver(
  first: CampaignRow,
  opts: { cron?: boolean; syncFails?: () => boolean; refuses?: () => boolean; duringSync?: (change: (c: CampaignRow, o?: { young?: boolean; settled?: boolean }) => void) => void } = {},
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
    countUnsettledTemporal: async (_ms: number, among: readonly string[]) => {
      const marked = marks.some((m) => !m.young);
      return { count: marked ? 1 : 0, among: marked ? among.filter((k) => k === campaign.key) : [] };
    },
    withTemporalMark: async () => ({ campaign: { ...campaign }, lastMark: marks.length ? String(Math.max(...marks.map((m) => m.id))) : null }),
    settleTemporalUpTo: async (_key: string, upTo: string) => {
      marks = marks.filter((m) => m.id > Number(upTo) || m.young);
    },
    hasCronVersion: async () => opts.cron ?? true,
  };
  const schedules = {
    sync: async (c: CampaignRow) => {
      if (opts.syncFails?.()) throw new Error('Temporal is away');
      if (opts.refuses?.()) throw new ScheduleRefusedError('unknown time zone America/Coyhaique');
      synced.push([c.status, c.activeVersion]);
      opts.duringSync?.(change);
    },
  };
  const journeys = { bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(), startArchiveNotice: async (key: string) => void told.push(key) };
  const { sweep, registry } = sweepWith(repo, schedules, journeys);
  const gauge = async () => (await registry.getSingleMetric('kairos_campaign_temporal_unsettled')!.get()).values[0]?.value;
  const refusedGauge = async () => (await registry.getSingleMetric('kairos_campaign_schedules_refused')!.get()).values[0]?.value;
  return { sweep, synced, told, gauge, refusedGauge, marked: () => marks.length > 0, marks: () => marks.map((m) => m.id) };
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

describe('CampaignTemporalSweep: a Schedule Temporal refuses as sent (review 48, finding 3)', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    Logger.overrideLogger({ log: () => {}, warn: () => {}, error: (m: unknown) => void errors.push(String(m)), debug: () => {}, verbose: () => {} });
  });
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('counts it apart from an outage, logs it at error once, keeps its mark, and forgets it once a sync succeeds', async () => {
    let refusing = true;
    const { sweep, marked, gauge, refusedGauge } = sweepOver(row('active', 1), { refuses: () => refusing });
    expect(await sweep.sweep(0)).toBe(0);
    expect(await sweep.sweep(0)).toBe(0);
    expect(await gauge()).toBe(0);
    expect(await refusedGauge()).toBe(1);
    expect(errors).toEqual([expect.stringContaining('Campaign nightly: Temporal refused its batch-entry Schedule (unknown time zone America/Coyhaique)')]);
    expect(marked()).toBe(true);
    refusing = false;
    expect(await sweep.sweep(0)).toBe(0);
    expect(await refusedGauge()).toBe(0);
    expect(marked()).toBe(false);
  });
});

/**
 * A marks table of many campaigns, as the repository reads it: `marked`
 * (in the order of their marks) are active on a cron version, except
 * `archived`, which enters on events; unsettledTemporal takes those not in
 * `tried` first (oldest mark first), then those of `tried` in its order.
 */
function sweepOverMany(marked: string[], opts: { archived: string; refuses: (key: string) => boolean }) {
  const pending = new Set(marked);
  const told: string[] = [];
  const tries: string[][] = [];
  const rowOf = (key: string): CampaignRow => ({ ...(key === opts.archived ? row('archived', 1) : row('active', 1)), key });
  const repo = {
    unsettledTemporal: async (_ms: number, limit: number, tried: readonly string[] = []) => {
      const keys = [...marked.filter((k) => pending.has(k) && !tried.includes(k)), ...tried.filter((k) => pending.has(k))].slice(0, limit);
      tries.push(keys);
      return keys;
    },
    countUnsettledTemporal: async (_ms: number, among: readonly string[] = []) => ({ count: pending.size, among: among.filter((k) => pending.has(k)) }),
    withTemporalMark: async (key: string) => ({ campaign: rowOf(key), lastMark: pending.has(key) ? '1' : null }),
    settleTemporalUpTo: async (key: string) => void pending.delete(key),
    hasCronVersion: async (key: string) => key !== opts.archived,
  };
  const schedules = {
    sync: async (c: CampaignRow) => {
      if (opts.refuses(c.key)) throw new ScheduleRefusedError('unknown time zone America/Coyhaique');
    },
  };
  const journeys = { bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(), startArchiveNotice: async (key: string) => void told.push(key) };
  const { sweep, registry } = sweepWith(repo, schedules, journeys);
  const gauge = async () => (await registry.getSingleMetric('kairos_campaign_temporal_unsettled')!.get()).values[0]?.value;
  return { sweep, told, tries, gauge, pending };
}

describe('CampaignTemporalSweep: campaigns Temporal keeps refusing hold back no others (review 53, campaigns, finding 2)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('tells the journeys of an archive marked after 50 refused campaigns, and counts it as left while it waits its turn', async () => {
    const refused = keysOf(50);
    const { sweep, told, tries, gauge, pending } = sweepOverMany([...refused, 'spring'], { archived: 'spring', refuses: (k) => k !== 'spring' });
    expect(await sweep.sweep(0)).toBe(1);
    expect(told).toEqual([]);
    expect(await gauge()).toBe(1);
    expect(await sweep.sweep(0)).toBe(0);
    expect(told).toEqual(['spring']);
    expect(pending.has('spring')).toBe(false);
    expect(await gauge()).toBe(0);
    // Behind spring, the refused ones in the order they were tried; the one left out goes first next time.
    expect(tries[1]).toEqual(['spring', ...refused.slice(0, 49)]);
    await sweep.sweep(0);
    expect(tries[2]).toEqual(['c0049', ...refused.slice(0, 49)]);
  });
});

/**
 * A sweep whose reconcile pass runs over `keys` (every campaign active at
 * version 1): `state(key)` is what describing its Schedule finds, `fails(key)`
 * what syncing it throws.
 */
function reconcileOver(keys: string[], opts: { state?: (key: string) => ScheduleState; fails?: (key: string) => Error | undefined; inspectFails?: (key: string) => Error | undefined } = {}) {
  const synced: string[] = [];
  const inspected: string[] = [];
  const repo = {
    withCronVersionAfter: async (after: string | null, limit: number) => keys.filter((k) => after === null || k > after).slice(0, limit),
    get: async (key: string) => ({ ...row('active', 1), key }),
  };
  const schedules = {
    taskQueue: 'q-new',
    inspect: async (c: CampaignRow) => {
      const failure = opts.inspectFails?.(c.key);
      if (failure) throw failure;
      inspected.push(c.key);
      return opts.state?.(c.key) ?? { drift: null, runningTicks: [] };
    },
    tickQueue: async (workflowId: string) => (workflowId.endsWith('old') ? 'q-old' : 'q-new'),
    sync: async (c: CampaignRow) => {
      const failure = opts.fails?.(c.key);
      if (failure) throw failure;
      synced.push(c.key);
    },
  };
  const { sweep, registry } = sweepWith(repo, schedules, {});
  const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;
  return { sweep, synced, inspected, metric };
}

const keysOf = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, '0')}`);

describe('CampaignTemporalSweep.reconcile: batch-entry Schedules compared with the database (review 48, finding 1)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('pages through every campaign with a cron version and syncs only the Schedules out of line', async () => {
    const keys = keysOf(120);
    const drifted = new Set(['c0003', 'c0077', 'c0119']);
    const { sweep, synced, inspected, metric } = reconcileOver(keys, { state: (k) => ({ drift: drifted.has(k) ? 'its Schedule is missing' : null, runningTicks: [] }) });
    expect(await sweep.reconcile()).toEqual({ checked: 120, repaired: 3, refused: 0, ticksElsewhere: 0 });
    expect(inspected).toEqual(keys);
    expect(synced).toEqual([...drifted]);
    expect(await metric('kairos_campaign_schedules_repaired_total')).toBe(3);
  });

  it('checks at most 500 campaigns per pass; the next pass goes on after the last one checked, then starts over', async () => {
    const keys = keysOf(620);
    const { sweep, inspected } = reconcileOver(keys);
    expect((await sweep.reconcile())?.checked).toBe(500);
    expect((await sweep.reconcile())?.checked).toBe(120);
    expect(inspected).toEqual(keys);
    expect((await sweep.reconcile())?.checked).toBe(500);
    expect(inspected.slice(620, 622)).toEqual(['c0000', 'c0001']);
  });

  it('goes on past a Schedule Temporal refuses (counted, not retried as an outage); an outage ends the pass, and the next goes on from there', async () => {
    const keys = keysOf(6);
    let away = true;
    const { sweep, synced, metric } = reconcileOver(keys, {
      state: () => ({ drift: 'its Schedule is missing', runningTicks: [] }),
      fails: (k) => (k === 'c0001' ? new ScheduleRefusedError('unknown time zone America/Coyhaique') : k === 'c0003' && away ? new ScheduleSyncError('14 UNAVAILABLE') : undefined),
    });
    expect(await sweep.reconcile()).toBeNull();
    expect(synced).toEqual(['c0000', 'c0002']);
    expect(await metric('kairos_campaign_schedules_refused')).toBe(1);
    away = false;
    expect(await sweep.reconcile()).toEqual({ checked: 3, repaired: 3, refused: 0, ticksElsewhere: 0 });
    expect(synced).toEqual(['c0000', 'c0002', 'c0003', 'c0004', 'c0005']);
  });

  it('goes on past a Schedule the SDK cannot even describe', async () => {
    const { sweep, inspected } = reconcileOver(keysOf(3), { inspectFails: (k) => (k === 'c0001' ? new ScheduleRefusedError('Unsupported schedule action') : undefined) });
    expect(await sweep.reconcile()).toEqual({ checked: 3, repaired: 0, refused: 1, ticksElsewhere: 0 });
    expect(inspected).toEqual(['c0000', 'c0002']);
  });

  it('counts running ticks on another task queue', async () => {
    const { sweep, metric } = reconcileOver(keysOf(2), { state: (k) => ({ drift: null, runningTicks: k === 'c0000' ? ['batch-entry:c0000-old'] : ['batch-entry:c0001-new'] }) });
    expect((await sweep.reconcile())?.ticksElsewhere).toBe(1);
    expect(await metric('kairos_batch_ticks_on_other_queue')).toBe(1);
  });
});
