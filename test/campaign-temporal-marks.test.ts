import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ScheduleRefusedError, ScheduleSyncError, type BatchSchedules } from '../src/api/campaigns/batch-schedules.service';
import { CampaignTemporalSweep } from '../src/api/campaigns/campaign-temporal-sweep';
import type { CampaignListCountsService } from '../src/api/campaigns/campaign-list-counts.service';
import { CampaignsService } from '../src/api/campaigns/campaigns.service';
import { DependencyUnavailableError } from '../src/api/common/errors';
import type { CampaignIndex } from '../src/api/routing/campaign-index';
import { PlanStore } from '../src/store/plan-store';
import { CampaignsRepository, type CampaignRow } from '../src/store/repositories/campaigns.repository';
import { JourneyContextRepository } from '../src/store/repositories/journey-context.repository';
import type { JourneyGateway } from '../src/temporal/journey-gateway';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const onEvents = (key: string) => ({ key, name: key, entry: { on: 'order.completed' }, initial: 'done', states: { done: { end: true } } });
const daily = (key: string) => ({ key, name: key, entry: { cron: '0 9 * * *', timezone: 'Europe/Paris' }, initial: 'done', states: { done: { end: true } } });

/**
 * Status changes and their Temporal side against the real campaigns
 * repository (PostgreSQL), Temporal stubbed: away (every Schedule call
 * fails as in an outage), or refusing some campaigns' Schedules for good.
 */
describe('campaign status changes and the Temporal sweep over the real repository (review 53, campaigns)', () => {
  let db: TestDatabase;
  let repo: CampaignsRepository;

  beforeAll(async () => {
    // The sweep logs each campaign it could not settle: expected here.
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    repo = new CampaignsRepository(db.dataSource);
  });
  afterAll(async () => {
    await db?.drop();
    Logger.overrideLogger(['log', 'warn', 'error']);
  });

  describe('a cron version saved but never activated gives no Schedule to keep in line (finding 1)', () => {
    const scheduleCalls: string[] = [];
    /** Temporal away: every Schedule sync fails as in an outage. */
    const away = {
      sync: async (c: CampaignRow) => {
        scheduleCalls.push(c.key);
        throw new ScheduleSyncError('14 UNAVAILABLE: connection refused');
      },
    } as unknown as BatchSchedules;
    let service: CampaignsService;
    beforeAll(() => {
      service = new CampaignsService(
        repo,
        { reload: async () => {} } as unknown as CampaignIndex,
        away,
        new PlanStore(new JourneyContextRepository(db.dataSource)),
        {} as CampaignListCountsService,
        {} as JourneyGateway,
      );
    });
    beforeEach(() => void scheduleCalls.splice(0));
    const marksOf = async (key: string) => (await db.dataSource.query(`select id from campaign_temporal_marks where campaign_key = $1`, [key])).length;

    it('pauses, while Temporal is away, a campaign active on an event version with a cron version saved beside it', async () => {
      expect(await repo.create('welcome', 'welcome', onEvents('welcome'))).toBe(true);
      await expect(service.activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
      expect(await repo.addVersion('welcome', 'welcome', daily('welcome'))).toEqual({ version: 2 });
      await expect(service.pause('welcome')).resolves.toMatchObject({ status: 'paused', activeVersion: 1 });
      expect(scheduleCalls).toEqual([]);
      expect(await marksOf('welcome')).toBe(0);
      expect(await repo.withCronVersionAfter(null, 50)).not.toContain('welcome');
    });

    it('archives, while Temporal is away, a draft whose only version enters by schedule', async () => {
      expect(await repo.create('spring-draft', 'spring-draft', daily('spring-draft'))).toBe(true);
      await expect(service.archive('spring-draft')).resolves.toMatchObject({ status: 'archived', activeVersion: null });
      expect(scheduleCalls).toEqual([]);
      expect(await marksOf('spring-draft')).toBe(0);
    });

    it('still needs Temporal for a campaign that once ran a cron version, now on an event version: its Schedule may exist', async () => {
      await repo.saveActive('once-daily', daily('once-daily'));
      await repo.saveActive('once-daily', onEvents('once-daily'));
      const err: unknown = await service.pause('once-daily').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DependencyUnavailableError);
      expect(scheduleCalls).toEqual(['once-daily']);
      expect((await repo.get('once-daily'))?.status).toBe('paused');
      expect(await marksOf('once-daily')).toBe(1);
      expect(await repo.withCronVersionAfter(null, 50)).toContain('once-daily');
    });
  });

  describe('campaigns whose Schedule Temporal keeps refusing hold back no other marked campaign (finding 2)', () => {
    it('reaches, within a few sweeps, an archive marked after 50 refused pauses, and counts it as left while it waits', async () => {
      // Only this test's marks (the tests above leave one).
      await db.dataSource.query(`delete from campaign_temporal_marks`);
      const refusedKeys = Array.from({ length: 50 }, (_, i) => `tz-${String(i).padStart(2, '0')}`);
      for (const key of refusedKeys) {
        await repo.saveActive(key, daily(key));
        expect(await repo.changeStatus(key, 'paused', ['active'])).not.toBeNull();
      }
      await repo.saveActive('spring', onEvents('spring'));
      expect(await repo.changeStatus('spring', 'archived', ['active', 'paused'])).not.toBeNull();

      const told: string[] = [];
      const synced: string[] = [];
      const schedules = {
        sync: async (c: CampaignRow) => {
          synced.push(c.key);
          if (c.key.startsWith('tz-')) throw new ScheduleRefusedError('unknown time zone Europe/Paris');
        },
      } as unknown as BatchSchedules;
      const journeys = { bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(), startArchiveNotice: async (key: string) => void told.push(key) } as unknown as JourneyGateway;
      const registry = new Registry();
      const sweep = new CampaignTemporalSweep(repo, schedules, { activePlan: async () => null } as unknown as PlanStore, journeys, registry);
      const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;

      // The first sweep takes the 50 oldest marks (all refused); spring waits its turn, and is counted as left meanwhile.
      expect(await sweep.sweep(0)).toBe(1);
      expect(told).toEqual([]);
      expect(await metric('kairos_campaign_temporal_unsettled')).toBe(1);
      expect(await metric('kairos_campaign_schedules_refused')).toBe(50);
      // The next one takes spring first (never tried), then those tried the longest ago.
      expect(await sweep.sweep(0)).toBe(0);
      expect(told).toEqual(['spring']);
      expect(await db.dataSource.query(`select id from campaign_temporal_marks where campaign_key = 'spring'`)).toEqual([]);
      expect(await metric('kairos_campaign_temporal_unsettled')).toBe(0);
      // The refused ones keep their marks, and keep being tried.
      expect(await repo.countUnsettledTemporal(0)).toEqual({ count: 50, among: [] });
      // 50 in the first sweep, then 49 behind spring (tz-49, tried the longest ago, goes first next time).
      expect(synced.filter((k) => k.startsWith('tz-')).length).toBe(50 + 49);
    });

    it('orders the marked campaigns: never tried first (oldest mark first), then those tried the longest ago', async () => {
      await db.dataSource.query(`delete from campaign_temporal_marks`);
      for (const key of ['o-a', 'o-b', 'o-c', 'o-d']) {
        await repo.saveActive(key, onEvents(key));
        expect(await repo.changeStatus(key, 'paused', ['active'])).not.toBeNull();
      }
      expect(await repo.unsettledTemporal(0, 10)).toEqual(['o-a', 'o-b', 'o-c', 'o-d']);
      expect(await repo.unsettledTemporal(0, 10, ['o-c', 'o-a'])).toEqual(['o-b', 'o-d', 'o-c', 'o-a']);
      expect(await repo.unsettledTemporal(0, 2, ['o-c', 'o-a', 'o-b', 'o-d'])).toEqual(['o-c', 'o-a']);
      expect(await repo.countUnsettledTemporal(0, ['o-b', 'gone'])).toEqual({ count: 4, among: ['o-b'] });
      // A mark within the grace is left to its own request.
      expect(await repo.unsettledTemporal(3_600_000, 10)).toEqual([]);
      expect(await repo.countUnsettledTemporal(3_600_000, ['o-b'])).toEqual({ count: 0, among: [] });
    });
  });
});
