import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { Registry } from 'prom-client';
import { BatchSchedules, ScheduleRefusedError } from '../src/api/campaigns/batch-schedules.service';
import { CampaignTemporalSweep } from '../src/api/campaigns/campaign-temporal-sweep';
import type { Config } from '../src/config/config';
import { compileCampaign } from '../src/domain/compiler';
import { PlanStore } from '../src/store/plan-store';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { JourneyContextRepository } from '../src/store/repositories/journey-context.repository';
import { syncBatchSchedule } from '../src/temporal/batch-schedules';
import { JourneyGateway } from '../src/temporal/journey-gateway';
import { batchScheduleId } from '../src/workflows/batch-entry.workflow';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const weekly = (key: string) => ({ key, name: 'Weekly', entry: { cron: '0 9 * * 1', timezone: 'Europe/Paris' }, initial: 'done', states: { done: { end: true } } });

/**
 * The Schedules of entry.cron campaigns against the real Temporal dev server:
 * nothing but a status change used to sync them, so one deleted by hand, or
 * left on the task queue of before a TEMPORAL_TASK_QUEUE change, stayed so
 * while the campaign showed active.
 */
describe('batch-entry Schedules reconciled with the database (review 48, finding 1)', () => {
  const suffix = randomBytes(4).toString('hex');
  const oldQueue = `kairos-old-${suffix}`;
  const newQueue = `kairos-new-${suffix}`;
  const keys: string[] = [];
  let db: TestDatabase;
  let connection: Connection;
  let client: Client;
  let repo: CampaignsRepository;

  beforeAll(async () => {
    // The passes log each Schedule they sync at warn: expected here.
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    repo = new CampaignsRepository(db.dataSource);
    connection = await Connection.connect({ address: process.env.KAIROS_TEST_TEMPORAL_ADDRESS! });
    client = new Client({ connection });
  });
  afterAll(async () => {
    for (const key of keys) {
      const schedule = client.schedule.getHandle(batchScheduleId(key));
      for (const running of await schedule.describe().then((d) => d.info.runningActions, () => [])) {
        await client.workflow.getHandle(running.workflow.workflowId).terminate('test over').catch(() => undefined);
      }
      await schedule.delete().catch(() => undefined);
    }
    await connection?.close();
    await db?.drop();
    Logger.overrideLogger(['log', 'warn', 'error']);
  });

  /** A cron campaign, active at version 1, whose Schedule was synced on `queue`. */
  async function seeded(name: string, queue: string): Promise<string> {
    const key = `${name}-${suffix}`;
    keys.push(key);
    await repo.saveActive(key, weekly(key));
    await syncBatchSchedule(client, queue, { key, version: 1, status: 'active', cron: '0 9 * * 1', timezone: 'Europe/Paris' });
    return key;
  }

  /** The sweep of an API instance whose TEMPORAL_TASK_QUEUE is `queue`. */
  const sweepOn = (queue: string) =>
    new CampaignTemporalSweep(
      repo,
      new BatchSchedules(client, { temporal: { taskQueue: queue } } as Config),
      new PlanStore(new JourneyContextRepository(db.dataSource)),
      new JourneyGateway(client, queue),
      new Registry(),
    );

  /** The Schedule once `holds` is true of its description (an update reaches describe a moment later). */
  const describedWhen = (key: string, holds: (d: Awaited<ReturnType<ReturnType<Client['schedule']['getHandle']>['describe']>>) => boolean) =>
    eventually(async () => {
      const d = await client.schedule.getHandle(batchScheduleId(key)).describe();
      return holds(d) ? d : undefined;
    });
  const queueOf = (d: { action: unknown }) => (d.action as { taskQueue: string }).taskQueue;
  const gone = (key: string) =>
    eventually(async () =>
      client.schedule
        .getHandle(batchScheduleId(key))
        .describe()
        .then(
          () => undefined,
          (err: unknown) => (err instanceof ScheduleNotFoundError ? true : undefined),
        ),
    );

  it("moves a Schedule left on another task queue to this deployment's, and brings back one deleted behind Kairos's back", async () => {
    const key = await seeded('weekly', oldQueue);
    const sweep = sweepOn(newQueue);
    // No status changed, so no mark: the minute sweep has nothing to do, and the Schedule stays on the old queue.
    expect(await sweep.sweep(0)).toBe(0);
    expect(queueOf(await client.schedule.getHandle(batchScheduleId(key)).describe())).toBe(oldQueue);

    expect(await sweep.reconcile()).toEqual({ checked: 1, repaired: 1, refused: 0, ticksElsewhere: 0 });
    const moved = await describedWhen(key, (d) => queueOf(d) === newQueue);
    expect(moved.action).toMatchObject({ workflowType: 'batchEntryWorkflow', args: [{ campaignKey: key, campaignVersion: 1 }] });
    expect(moved.state.paused).toBe(false);

    await client.schedule.getHandle(batchScheduleId(key)).delete();
    await gone(key);
    expect(await sweep.reconcile()).toEqual({ checked: 1, repaired: 1, refused: 0, ticksElsewhere: 0 });
    const back = await describedWhen(key, () => true);
    expect(queueOf(back)).toBe(newQueue);
    expect(back.spec.timezone).toBe('Europe/Paris');
    expect(back.state.paused).toBe(false);
    // In line now: the next pass changes nothing.
    expect(await sweep.reconcile()).toEqual({ checked: 1, repaired: 0, refused: 0, ticksElsewhere: 0 });
  });

  it('pauses the Schedule of a paused campaign, and deletes that of an archived one, when no status change told Temporal', async () => {
    const key = await seeded('paused', newQueue);
    const sweep = sweepOn(newQueue);
    await db.dataSource.query(`update campaigns set status = 'paused' where key = $1`, [key]);
    expect(await sweep.reconcile()).toMatchObject({ repaired: 1, refused: 0 });
    await describedWhen(key, (d) => d.state.paused);
    await db.dataSource.query(`update campaigns set status = 'archived' where key = $1`, [key]);
    expect(await sweep.reconcile()).toMatchObject({ repaired: 1, refused: 0 });
    await gone(key);
  });

  it("gives a Schedule made without the campaign's schedule window (by an older Kairos) its startAt and endAt (review 57, finding 1)", async () => {
    const key = `windowed-${suffix}`;
    keys.push(key);
    const window = { startsAt: '2026-12-10T00:00:00.000Z', endsAt: '2026-12-20T00:00:00.000Z' };
    await repo.saveActive(key, { ...weekly(key), schedule: window });
    // As an older Kairos synced it: no window, so it would start a tick every Monday after endsAt, forever.
    await syncBatchSchedule(client, newQueue, { key, version: 1, status: 'active', cron: '0 9 * * 1', timezone: 'Europe/Paris' });
    const before = await client.schedule.getHandle(batchScheduleId(key)).describe();
    expect([before.spec.startAt, before.spec.endAt]).toEqual([undefined, undefined]);

    const sweep = sweepOn(newQueue);
    expect(await sweep.reconcile()).toMatchObject({ repaired: 1, refused: 0 });
    const windowed = await describedWhen(key, (d) => d.spec.endAt !== undefined);
    expect(windowed.spec.startAt?.toISOString()).toBe(window.startsAt);
    expect(windowed.spec.endAt?.toISOString()).toBe(window.endsAt);
    expect(windowed.spec.timezone).toBe('Europe/Paris');
    // In line now: the next pass leaves it.
    expect(await sweep.reconcile()).toMatchObject({ repaired: 0, refused: 0 });
  });

  it('counts a tick still running on the old task queue, which no worker may poll any more', async () => {
    const key = await seeded('stranded', oldQueue);
    const schedule = client.schedule.getHandle(batchScheduleId(key));
    // A tick started before the queue changed: no worker polls this queue here, so it stays running. (Under the
    // Schedule's own overlap policy, as a tick it starts: one triggered with the SDK's default, ALLOW_ALL, is not tracked.)
    await schedule.trigger(ScheduleOverlapPolicy.SKIP);
    await describedWhen(key, (d) => d.info.runningActions.length === 1);
    const sweep = sweepOn(newQueue);
    expect(await sweep.reconcile()).toMatchObject({ repaired: 1, ticksElsewhere: 1 });
    await describedWhen(key, (d) => queueOf(d) === newQueue);
  });
});

describe('a zone the Temporal server does not know (review 48, finding 3)', () => {
  let connection: Connection;
  afterAll(async () => connection?.close());

  it('is a refusal naming the zone, not an outage to retry', async () => {
    connection = await Connection.connect({ address: process.env.KAIROS_TEST_TEMPORAL_ADDRESS! });
    const client = new Client({ connection });
    const key = `refused-${randomBytes(4).toString('hex')}`;
    const compiled = compileCampaign(weekly(key), { version: 1 });
    if (!compiled.ok) throw new Error('the campaign does not compile');
    // Past the compiler (which would refuse it): as a zone Node knows and the server's tz data lacks reaches Temporal.
    const plan = { ...compiled.value, entry: { ...compiled.value.entry, timezone: 'Mars/Olympus' } };
    const schedules = new BatchSchedules(client, { temporal: { taskQueue: 'kairos-refused' } } as Config);
    const campaign = { key, name: 'Weekly', status: 'active' as const, activeVersion: 1, latestVersion: 1, createdAt: 'c', updatedAt: 'u' };
    const refused: unknown = await schedules.sync(campaign, plan).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ScheduleRefusedError);
    expect((refused as ScheduleRefusedError).field).toBe('timezone');
    expect((refused as ScheduleRefusedError).reason).toContain('Mars/Olympus');
    await expect(client.schedule.getHandle(batchScheduleId(key)).describe()).rejects.toThrow(ScheduleNotFoundError);
  });
});
