import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createBatchActivities } from '../../src/activities/batch/batch-activities';
import { tickKey } from '../../src/domain/campaign/tick-key';
import { AudienceRepository } from '../../src/store/repositories/audience.repository';
import type { JourneyGateway } from '../../src/temporal/journey-gateway';
import { eventually } from '../support/system-under-test';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { startMemoryActivitiesWorker } from '../support/memory-activities-worker';
import { syncBatchSchedule } from '../../src/temporal/batch-schedules';
import { batchEntryWorkflow, batchProgressQuery, batchScheduleId } from '../../src/workflows/batch-entry.workflow';
import type { AudiencePage } from '../../src/activities/batch/batch-activities';

/** The results of a workflow's `enterAudiencePage` activities, in every run of it (continued as new), as its history in the Temporal UI shows them. */
async function pageResults(client: Client, workflowId: string, firstRunId: string): Promise<AudiencePage[]> {
  const pages: AudiencePage[] = [];
  for (let runId: string | null | undefined = firstRunId; runId; ) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    for (const e of events) {
      const data = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
      if (data) pages.push(JSON.parse(Buffer.from(data).toString('utf8')) as AudiencePage);
    }
    runId = events.find((e) => e.workflowExecutionContinuedAsNewEventAttributes)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return pages;
}

const PROFILES = 1000;

const weekly = {
  key: 'gold-weekly',
  name: 'Weekly gold bonus',
  audience: "user.tier == 'gold'",
  entry: { cron: '0 9 * * 1', timezone: 'Europe/Paris' },
  participation: { maxEntries: 52 },
  initial: 'bonus',
  states: { bonus: { actions: { steps: [{ type: 'points', amount: 10 }] }, end: true } },
};

describe('batch entry for entry.cron campaigns', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
    // 1,000 stored profiles, every third one gold.
    await h.db.dataSource.query(
      `insert into user_profiles (user_id, attributes)
       select 'user-' || lpad(i::text, 4, '0'), jsonb_build_object('tier', case when i % 3 = 0 then 'gold' else 'silver' end)
         from generate_series(1, $1) as i`,
      [PROFILES],
    );
  });
  afterAll(async () => h?.stop());

  it('pages through 1,000 profiles, entering exactly the audience once per tick, with progress visible', async () => {
    const version = await h.seedCampaign(weekly);
    const gold = Math.floor(PROFILES / 3);
    const handle = await h.client.workflow.start(batchEntryWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: 'batch-entry:gold-weekly:test-tick',
      args: [{ version: 1, campaignKey: 'gold-weekly', campaignVersion: version, pageSize: 40 }],
    });
    const progress = await handle.result();
    expect(progress).toEqual({ done: PROFILES, total: PROFILES, entered: gold });
    expect(await handle.query(batchProgressQuery)).toEqual(progress);
    // 1000 / 40 = 25 pages at 20 per run: it continued as new.
    const runs: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "batch-entry:gold-weekly:test-tick"` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThan(1);

    const entries = async () =>
      (await h.db.dataSource.query(`select count(*)::int as n from journey_transitions where campaign_key = 'gold-weekly' and from_state is null`))[0].n;
    for (let i = 0; i < 120 && (await entries()) < gold; i++) await new Promise((r) => setTimeout(r, 500));
    expect(await entries()).toBe(gold);
    const [{ silver }] = await h.db.dataSource.query(
      `select count(*)::int as silver from journey_transitions t join user_profiles p on p.user_id = t.user_id
        where t.campaign_key = 'gold-weekly' and p.attributes->>'tier' <> 'gold'`,
    );
    expect(silver).toBe(0);

    // The same tick run again (as a retried page would) enters nobody twice:
    // with no cooldown, only the tick id keeps these users from entering again.
    const again = await h.client.workflow.execute(batchEntryWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: 'batch-entry:gold-weekly:test-tick',
      args: [{ version: 1, campaignKey: 'gold-weekly', campaignVersion: version, pageSize: 500 }],
    });
    expect(again.entered).toBe(gold);
    const lastUser = 'user-' + String(gold * 3).padStart(4, '0');
    const signalsOf = async () =>
      ((await h.handle('gold-weekly', lastUser).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'scheduledEntry').length;
    for (let i = 0; i < 50 && (await signalsOf()) < 2; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await signalsOf()).toBe(2);
    // A query waits for the journey to take in what its history holds.
    expect((await h.view('gold-weekly', lastUser)).entries).toBe(1);
    expect(await entries()).toBe(gold);
  });

  it("judges the audience in the campaign's zone, as the journey does, not in the cron's own zone", async () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: their dates always differ.
    const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, month: '2-digit', day: '2-digit' }).format(new Date()).replace('/', '-');
    await h.db.dataSource.query(`insert into user_profiles (user_id, attributes) values ('bday-kiri', $1), ('bday-pago', $2)`, [
      JSON.stringify({ birthday: `1990-${today('Pacific/Kiritimati')}` }),
      JSON.stringify({ birthday: `1990-${today('Pacific/Pago_Pago')}` }),
    ]);
    const version = await h.seedCampaign({
      key: 'bday-zones',
      name: 'Birthday, ticks placed in one zone, dates in another',
      schedule: { timezone: 'Pacific/Pago_Pago' },
      audience: 'monthDay(user.birthday) == monthDay(now())',
      entry: { cron: '0 9 * * *', timezone: 'Pacific/Kiritimati' },
      initial: 'greeted',
      states: { greeted: { end: true } },
    });
    const progress = await h.client.workflow.execute(batchEntryWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: 'batch-entry:bday-zones:test-tick',
      args: [{ version: 1, campaignKey: 'bday-zones', campaignVersion: version, pageSize: 500 }],
    });
    // Picked in the cron's zone, the Kiritimati birthday would be signalled and then refused by its journey.
    expect(progress.entered).toBe(1);
    const entered = async () =>
      (await h.db.dataSource.query(`select user_id from journey_transitions where campaign_key = 'bday-zones' and from_state is null`)).map((r: { user_id: string }) => r.user_id);
    expect(await eventually(async () => ((await entered()).length > 0 ? await entered() : undefined))).toEqual(['bday-pago']);
  });

  describe('a tick that should enter nobody more', () => {
    const gold = Math.floor(PROFILES / 3);
    const tick = async (key: string, version: number, name: string) =>
      h.client.workflow.execute(batchEntryWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: `batch-entry:${key}:${name}`,
        args: [{ version: 1, campaignKey: key, campaignVersion: version, pageSize: 500 }],
      });
    const entries = async (key: string) =>
      (await h.db.dataSource.query(`select count(*)::int as n from journey_transitions where campaign_key = $1 and from_state is null`, [key]))[0].n as number;

    it('stops at the next page once the campaign is paused or archived, and enters at the tick time', async () => {
      const version = await h.seedCampaign({ ...weekly, key: 'gold-stop' });
      for (const status of ['paused', 'archived']) {
        await h.db.dataSource.query(`update campaigns set status = $2 where key = $1`, ['gold-stop', status]);
        expect(await tick('gold-stop', version, status)).toMatchObject({ done: 0, entered: 0, stopped: `the campaign is ${status}` });
      }
      await h.db.dataSource.query(`update campaigns set status = 'active' where key = 'gold-stop'`);
      const before = Date.now();
      const ran = await tick('gold-stop', version, 'active');
      expect(ran).toEqual({ done: ran.total, total: ran.total, entered: gold });
      expect(await eventually(async () => ((await entries('gold-stop')) === gold ? true : undefined))).toBe(true);
      // The journey is told when the tick was due, to judge the entry then.
      const history = await h.handle('gold-stop', 'user-0003').fetchHistory();
      const signal = (history.events ?? []).find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'scheduledEntry');
      const payload = JSON.parse(Buffer.from(signal?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data ?? new Uint8Array()).toString('utf8')) as { tickAt?: string; tickKey?: string };
      expect(Date.parse(payload.tickAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
      // And the local time it stands for, in the cron's zone (Paris), to the minute.
      expect(payload.tickKey).toBe(tickKey(Date.parse(payload.tickAt ?? ''), 'Europe/Paris'));
      // The entry's stored row, which a later run of the journey counts cooldown and frequency from, holds that time too
      // (patch entry-row-at-tick), not when the page reached the user.
      const [row] = await h.db.dataSource.query(`select at from journey_entries where campaign_key = 'gold-stop' and user_id = 'user-0003'`);
      expect((row.at as Date).toISOString()).toBe(payload.tickAt);
    });

    it('enters at the version active now (one activated since the tick began), stops at one without batch entry, and outside the schedule window', async () => {
      const v1 = await h.seedCampaign({ ...weekly, key: 'gold-moved' });
      await h.seedCampaign({ ...weekly, key: 'gold-moved' });
      // The Schedule (or the tick under way) still says v1; v2 is active.
      expect(await tick('gold-moved', v1, 'v1')).toMatchObject({ entered: gold });
      const versions = async () =>
        ((await h.db.dataSource.query(`select distinct campaign_version as v from journey_transitions where campaign_key = 'gold-moved' and from_state is null`)) as Array<{ v: number }>).map((r) => r.v);
      expect(await eventually(async () => ((await entries('gold-moved')) === gold ? versions() : undefined))).toEqual([2]);
      // A version 3 that enters on events instead: the tick stops.
      await h.seedCampaign({ ...weekly, key: 'gold-moved', entry: { on: 'visit' } });
      expect(await tick('gold-moved', v1, 'v3')).toMatchObject({ entered: 0, stopped: 'version 3 is active now, which takes no batch entry' });
      const ended = await h.seedCampaign({ ...weekly, key: 'gold-ended', schedule: { endsAt: '2026-01-01T00:00:00Z' } });
      expect(await tick('gold-ended', ended, 'ended')).toMatchObject({ entered: 0, stopped: 'the campaign ended at 2026-01-01T00:00:00.000Z' });
      expect(await entries('gold-ended')).toBe(0);
    });

    it('enters nobody from a tick that starts far past its due time, and says why (review-50-batch, finding 5)', async () => {
      // Users who were in the audience when the tick was due, three days ago (a Schedule catching up, or a worker back).
      await h.db.dataSource.query(
        `insert into user_profiles (user_id, attributes, created_at) select 'overdue-' || i, '{"tier":"overdue"}', now() - interval '4 days' from generate_series(1, 3) as i`,
      );
      try {
        const version = await h.seedCampaign({ ...weekly, key: 'gold-late-tick', audience: "user.tier == 'overdue'" });
        // The tick's id carries when it was due.
        const due = new Date(Date.now() - 3 * 24 * 60 * 60_000);
        const late = await tick('gold-late-tick', version, `x-${due.toISOString()}`);
        expect(late).toMatchObject({ done: 0, entered: 0 });
        expect(late.stopped).toMatch(new RegExp(`^due at ${due.toISOString().replace(/[.]/g, '[.]')}, started .+: too late \\(more than 24 hours after it was due\\); the next tick runs as scheduled$`));
        // One due just now enters them.
        const inTime = await tick('gold-late-tick', version, `x-${new Date().toISOString()}`);
        expect(inTime).toMatchObject({ entered: 3 });
        expect(inTime.stopped).toBeUndefined();
      } finally {
        await h.db.dataSource.query(`delete from user_profiles where user_id like 'overdue-%'`);
      }
    });
  });

  describe('a page of a tick', () => {
    /**
     * The page activity with a gateway that records whom it was asked to enter, failing at `failAt` once; `entered`
     * runs for each user entered, as their journey's entry would be stored.
     */
    function pageWith(opts: { failAt?: string; entered?: (userId: string) => Promise<void> } = {}) {
      const asked: string[] = [];
      let failed = false;
      const journeys = {
        async enterScheduled(d: { userId: string }) {
          if (d.userId === opts.failAt && !failed) {
            failed = true;
            throw new Error('Temporal is slow');
          }
          asked.push(d.userId);
          await opts.entered?.(d.userId);
        },
      } as unknown as JourneyGateway;
      const { enterAudiencePage } = createBatchActivities({ dataSource: h.db.dataSource, plans: h.kairos.plans, journeys });
      return { asked, enterAudiencePage };
    }
    const gold = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((i) => i % 3 === 0).map((i) => 'user-' + String(i).padStart(4, '0'));
    // From user-0001: the other tests' profiles (bday-*) sort before.
    const request = (key: string, version: number) => ({ campaignKey: key, version, tickId: `${key}-tick`, afterUserId: 'user-0000', limit: 90, now: Date.now() });

    it('heartbeats after each round, and a retried page goes on after the last round heartbeated instead of from its first user', async () => {
      const version = await h.seedCampaign({ ...weekly, key: 'gold-resume' });
      const first = pageWith({ failAt: 'user-0060' });
      const beats: unknown[] = [];
      const attempt1 = new MockActivityEnvironment();
      attempt1.on('heartbeat', (d: unknown) => beats.push(d));
      await expect(attempt1.run(first.enterAudiencePage, request('gold-resume', version))).rejects.toThrow('Temporal is slow');
      // Rounds of 16: the first (user-0003 to user-0048) went through; the second failed at user-0060.
      expect(beats).toEqual([{ through: 'user-0048', entered: 16 }]);
      const attempt2 = new MockActivityEnvironment({ heartbeatDetails: beats.at(-1) });
      const page = await attempt2.run(first.enterAudiencePage, request('gold-resume', version));
      expect(page).toMatchObject({ scanned: 90, entered: 30, lastUserId: 'user-0090', done: false });
      // The failed round is sent again in full (a signal per tick is idempotent); the round before it is not.
      expect(first.asked).toEqual([...gold(3, 48), ...gold(51, 90).filter((u) => u !== 'user-0060'), ...gold(51, 90)]);
    });

    /** What a journey stores when the tick enters it: an entry at the tick's time (patch entry-row-at-tick). */
    const storeEntryAt = (key: string, at: number) => async (userId: string) =>
      void (await h.db.dataSource.query(`insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at) values ($1, $2, 1, $3, $4) on conflict do nothing`, [
        key,
        userId,
        `${key}-${userId}`,
        new Date(at),
      ]));

    it('goes on from its checkpoint when the users an earlier attempt entered have used their only entry by the retry, and counts them', async () => {
      const version = await h.seedCampaign({ ...weekly, key: 'gold-once', participation: { maxEntries: 1 } });
      const tick = request('gold-once', version);
      const page = pageWith({ failAt: 'user-0060', entered: storeEntryAt('gold-once', tick.now) });
      const beats: unknown[] = [];
      const attempt1 = new MockActivityEnvironment();
      attempt1.on('heartbeat', (d: unknown) => beats.push(d));
      await expect(attempt1.run(page.enterAudiencePage, tick)).rejects.toThrow('Temporal is slow');
      const retried = await new MockActivityEnvironment({ heartbeatDetails: beats.at(-1) }).run(page.enterAudiencePage, tick);
      // The first round's 16 (its checkpoint), the failed round's other 13, which the first attempt entered and did
      // not get to count, and user-0060: not 1 as if the page began again (the checkpoint is found among the page's
      // profiles, not among the users left to enter), nor 17 (the failed round's 13 left out as spent).
      expect(retried).toMatchObject({ entered: 30 });
      expect(page.asked.filter((u) => u <= 'user-0048')).toEqual(gold(3, 48));
      expect(page.asked.filter((u) => u > 'user-0048')).toEqual([...gold(51, 90).filter((u) => u !== 'user-0060'), 'user-0060']);
    });

    it('does not signal again users this tick entered: a journey that ended since would take the tick again', async () => {
      // Entries left, no cooldown: only the tick's own entry row tells a new journey run that this tick was taken.
      const version = await h.seedCampaign({ ...weekly, key: 'gold-again', participation: { maxEntries: 3 } });
      const tick = request('gold-again', version);
      const page = pageWith({ failAt: 'user-0060', entered: storeEntryAt('gold-again', tick.now) });
      const beats: unknown[] = [];
      const attempt1 = new MockActivityEnvironment();
      attempt1.on('heartbeat', (d: unknown) => beats.push(d));
      await expect(attempt1.run(page.enterAudiencePage, tick)).rejects.toThrow('Temporal is slow');
      // An entry of an earlier tick does not count as this one's.
      await h.db.dataSource.query(`update journey_entries set at = at - interval '7 days' where campaign_key = 'gold-again' and user_id = 'user-0090'`);
      const retried = await new MockActivityEnvironment({ heartbeatDetails: beats.at(-1) }).run(page.enterAudiencePage, tick);
      expect(retried).toMatchObject({ entered: 30 });
      expect(page.asked.filter((u) => u > 'user-0048')).toEqual([...gold(51, 90).filter((u) => u !== 'user-0060'), 'user-0060', 'user-0090']);
    });

    it('does not enter again at a local time a clock change repeats, though the journey its first run entered has ended', async () => {
      // 02:30 in Paris comes twice on 2027-10-31: at 00:30Z and at 01:30Z. The first run entered user-0003; its journey has ended.
      const version = await h.seedCampaign({ ...weekly, key: 'gold-dst', entry: { cron: '30 2 * * *', timezone: 'Europe/Paris' }, participation: { maxEntries: 10 } });
      await storeEntryAt('gold-dst', Date.parse('2027-10-31T00:30:00Z'))('user-0003');
      // An entry a day before is another local time, and one by an event that minute is no tick's.
      await storeEntryAt('gold-dst', Date.parse('2027-10-30T00:30:00Z'))('user-0006');
      await storeEntryAt('gold-dst', Date.parse('2027-10-31T00:30:17.250Z'))('user-0009');
      const { asked, enterAudiencePage } = pageWith();
      const second = await new MockActivityEnvironment().run(enterAudiencePage, { ...request('gold-dst', version), tickId: 'batch-entry:gold-dst-2027-10-31T01:30:00Z' });
      expect(asked).toEqual(gold(6, 90));
      // The user the first run entered is not counted as entered by the second (review 58, finding 3).
      expect(second).toMatchObject({ entered: asked.length });
    });

    it('does not signal users whose entries reached maxEntries: their journeys would refuse them', async () => {
      const version = await h.seedCampaign({ ...weekly, key: 'gold-spent', participation: { maxEntries: 2 } });
      // A second before the tick: an entry at the tick's very millisecond (a fast round trip) would be the tick's own.
      await h.db.dataSource.query(
        `insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at) values
           ('gold-spent', 'user-0003', 1, 'gs-1', now() - interval '1 second'), ('gold-spent', 'user-0003', 2, 'gs-2', now() - interval '1 second'),
           ('gold-spent', 'user-0006', 1, 'gs-3', now() - interval '1 second')`,
      );
      const { asked, enterAudiencePage } = pageWith();
      const page = await new MockActivityEnvironment().run(enterAudiencePage, request('gold-spent', version));
      expect(page).toMatchObject({ scanned: 90, entered: 29 });
      expect(asked).toEqual(gold(6, 90));
    });

    it('leaves out profiles created after the tick was due: they wait for the next tick', async () => {
      const version = await h.seedCampaign({ ...weekly, key: 'gold-late', audience: "user.tier == 'late'" });
      const dueAt = Date.now();
      await h.db.dataSource.query(`insert into user_profiles (user_id, attributes, created_at) values ('late-1', '{"tier":"late"}', now() - interval '1 hour'), ('late-2', '{"tier":"late"}', now() + interval '1 second')`);
      const { asked, enterAudiencePage } = pageWith();
      const page = await new MockActivityEnvironment().run(enterAudiencePage, { ...request('gold-late', version), afterUserId: null, limit: 5000, now: dueAt });
      expect(asked).toEqual(['late-1']);
      expect(page).toMatchObject({ entered: 1, done: true });
      await h.db.dataSource.query(`delete from user_profiles where user_id like 'late-%'`);
    });

    it('loads of each profile only the attributes the audience reads', async () => {
      await h.db.dataSource.query(`insert into user_profiles (user_id, attributes, created_at) values ('wide-1', $1, now() - interval '1 minute')`, [
        JSON.stringify({ tier: 'gold', address: { city: 'Paris' }, notes: 'x'.repeat(100_000) }),
      ]);
      const profiles = new AudienceRepository(h.db.dataSource);
      const page = (keys: string[]) => profiles.page('wide-0', 1, new Date(), keys);
      expect(await page(['tier', 'address', 'absent'])).toEqual([{ userId: 'wide-1', attributes: { tier: 'gold', address: { city: 'Paris' } } }]);
      expect(await page([])).toEqual([{ userId: 'wide-1', attributes: {} }]);
      await h.db.dataSource.query(`delete from user_profiles where user_id = 'wide-1'`);
    });

    it("counts the profiles exactly, or by PostgreSQL's estimate when the count takes too long", async () => {
      const [{ n }] = await h.db.dataSource.query('select count(*)::int as n from user_profiles');
      expect(await new AudienceRepository(h.db.dataSource).count(null)).toBe(n);
      // As a tick pages them: those that existed when it was due.
      await h.db.dataSource.query(`insert into user_profiles (user_id, attributes, created_at) values ('count-late', '{}', now() + interval '1 hour')`);
      expect(await new AudienceRepository(h.db.dataSource).count(new Date())).toBe(n);
      await h.db.dataSource.query(`delete from user_profiles where user_id = 'count-late'`);
      await h.db.dataSource.query('analyze user_profiles');
      // A lock held elsewhere keeps the exact count waiting past its time.
      const locker = h.db.dataSource.createQueryRunner();
      await locker.connect();
      await locker.startTransaction();
      try {
        await locker.query('lock table user_profiles in access exclusive mode');
        expect(await new AudienceRepository(h.db.dataSource, 300).count(new Date())).toBeGreaterThan(n / 2);
      } finally {
        await locker.rollbackTransaction();
        await locker.release();
      }
    });
  });

  it('gives up on a user whose entry keeps failing, logs and reports them, and enters the rest of the audience (review-50-batch, finding 4)', async () => {
    await h.db.dataSource.query(
      `insert into user_profiles (user_id, attributes, created_at)
       select 'iso-u' || lpad(i::text, 3, '0'), '{"tier":"isolated"}', now() - interval '1 minute' from generate_series(1, 20) as i`,
    );
    const version = await h.seedCampaign({ ...weekly, key: 'iso', audience: "user.tier == 'isolated'" });
    const entered = new Set<string>();
    // iso-u005: a journey whose run stays full (it passes, as far as anyone can tell, but never does); iso-u013: refused for good.
    const journeys = {
      async enterScheduled(d: { userId: string }) {
        if (d.userId === 'iso-u005') throw new Error('exceeded workflow execution limit for signal events');
        if (d.userId === 'iso-u013') throw Object.assign(new Error('3 INVALID_ARGUMENT: Blob data size exceeds limit.'), { code: 3 });
        entered.add(d.userId);
      },
      answers: async () => true,
    } as unknown as JourneyGateway;
    const w = await startMemoryActivitiesWorker('kairos-isolate', createBatchActivities({ dataSource: h.db.dataSource, plans: h.kairos.plans, journeys }));
    try {
      const workflowId = `batch-entry:iso:${randomBytes(4).toString('hex')}`;
      const handle = await w.client.workflow.start(batchEntryWorkflow, {
        taskQueue: w.taskQueue,
        workflowId,
        args: [{ version: 1, campaignKey: 'iso', campaignVersion: version, pageSize: 10, giveUpAfter: '5 seconds' }],
      });
      // Not BatchTickGaveUp at iso-u005's page: the tick ends, every other user of the audience entered.
      const progress = await handle.result();
      const all = Array.from({ length: 20 }, (_, i) => `iso-u${String(i + 1).padStart(3, '0')}`);
      expect([...entered].sort()).toEqual(all.filter((u) => u !== 'iso-u005' && u !== 'iso-u013'));
      expect(progress).toMatchObject({ entered: 18, failed: 2, done: progress.total });
      // The memo (what the Temporal UI shows of the tick) says so too.
      const memo = (await handle.describe()).memo as { progress?: string } | undefined;
      expect(memo?.progress).toBe(`${progress.total}/${progress.total} profiles, 18 entered, 2 given up on`);
      expect(progress.stopped).toBeUndefined();
      // Each named, with why, in its page's result (the tick's history in the Temporal UI).
      const failed = (await pageResults(w.client, workflowId, handle.firstExecutionRunId)).flatMap((p) => p.failed ?? []);
      expect(failed).toEqual([
        { userId: 'iso-u005', reason: 'exceeded workflow execution limit for signal events' },
        { userId: 'iso-u013', reason: '3 INVALID_ARGUMENT: Blob data size exceeds limit.' },
      ]);
    } finally {
      await w.stop();
      await h.db.dataSource.query(`delete from user_profiles where user_id like 'iso-%'`);
    }
  });

  it("sets the Schedule's catchupWindow when it creates one and when it updates one (review-50-batch, finding 5)", async () => {
    const c = { key: 'catch-up', version: 1, status: 'active' as const, cron: '*/10 * * * *', timezone: 'UTC' };
    const described = () => h.client.schedule.getHandle(batchScheduleId('catch-up')).describe();
    // Not Temporal's default (a year): a tick it catches up after an outage would enter users judged long ago.
    expect(await syncBatchSchedule(h.client, h.taskQueue, c)).toBe('created');
    expect((await described()).policies.catchupWindow).toBe(10 * 60_000);
    await syncBatchSchedule(h.client, h.taskQueue, { ...c, status: 'archived' });
    // A Schedule created before the window was set (Temporal's default) gets it at its next update.
    await h.client.schedule.create({
      scheduleId: batchScheduleId('catch-up'),
      spec: { cronExpressions: ['0 9 * * *'], timezone: 'UTC' },
      action: { type: 'startWorkflow', workflowType: batchEntryWorkflow, workflowId: batchScheduleId('catch-up'), taskQueue: h.taskQueue, args: [{ version: 1, campaignKey: 'catch-up', campaignVersion: 1 }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    expect((await described()).policies.catchupWindow).toBeGreaterThan(24 * 60 * 60_000);
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, cron: '0 9 * * *', version: 2 })).toBe('updated');
    const updated = await eventually(async () => {
      const d = await described();
      return (d.action as { args?: Array<{ campaignVersion?: number }> }).args?.[0]?.campaignVersion === 2 ? d : undefined;
    });
    expect(updated.policies).toMatchObject({ catchupWindow: 24 * 60 * 60_000, overlap: ScheduleOverlapPolicy.SKIP });
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, status: 'archived' })).toBe('deleted');
  });

  it('keeps a Temporal Schedule in line with the campaign', async () => {
    const c = { key: 'gold-weekly', version: 1, status: 'active' as const, cron: '0 9 * * 1', timezone: 'Europe/Paris' };
    expect(await syncBatchSchedule(h.client, h.taskQueue, c)).toBe('created');
    const created = await h.client.schedule.getHandle(batchScheduleId('gold-weekly')).describe();
    expect(created.spec.timezone).toBe('Europe/Paris');
    expect(created.state.paused).toBe(false);
    const described = () => h.client.schedule.getHandle(batchScheduleId('gold-weekly')).describe();
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, status: 'paused' })).toBe('paused');
    await eventually(async () => ((await described()).state.paused ? true : undefined));
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, version: 2 })).toBe('updated');
    const updated = await eventually(async () => {
      const d = await described();
      return !d.state.paused && (d.action as { args?: Array<{ campaignVersion?: number }> }).args?.[0]?.campaignVersion === 2 ? d : undefined;
    });
    expect(updated.action).toMatchObject({ args: [{ campaignVersion: 2 }] });
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, status: 'archived' })).toBe('deleted');
    expect(await syncBatchSchedule(h.client, h.taskQueue, { ...c, status: 'archived' })).toBe('none');
  });
});
