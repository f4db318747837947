import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileCampaign } from '../../src/domain/compiler';
import type { RewardPool } from '../../src/domain/campaign/schema';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { batchEntryWorkflow } from '../../src/workflows/batch-entry.workflow';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { eventually } from '../support/system-under-test';

interface Stream {
  campaign: string;
  pools: RewardPool[];
  profiles: Record<string, Record<string, unknown>>;
  events: Array<{ id: string; type: string; userId: string; properties?: Record<string, unknown> }>;
  tick?: boolean;
  expect: { rewards: Array<{ userId: string; kind: string; amount?: number }>; states?: Record<string, string> };
}

const root = path.join(__dirname, '..', '..', 'examples');
const streams = readdirSync(path.join(root, 'streams')).filter((f) => f.endsWith('.json'));

/** Birthdays are relative to the day the example runs, in the campaign's zone. */
function fillDates(profiles: Stream['profiles'], timezone: string): Stream['profiles'] {
  const day = (offsetDays: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone, month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));
  const text = JSON.stringify(profiles).replace(/\{\{today\}\}/g, `1990-${day(0)}`).replace(/\{\{tomorrow\}\}/g, `1990-${day(1)}`);
  return JSON.parse(text) as Stream['profiles'];
}

describe('the example campaigns run end to end on the real server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it.each(streams)('%s', async (file) => {
    const stream = JSON.parse(readFileSync(path.join(root, 'streams', file), 'utf8')) as Stream;
    const definition = JSON.parse(readFileSync(path.join(root, 'campaigns', `${stream.campaign}.json`), 'utf8')) as { key: string; entry: { timezone?: string } };
    const compiled = compileCampaign(definition);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const plan = compiled.value;

    const pools = new PoolsRepository(h.db.dataSource);
    for (const pool of stream.pools) await pools.create(pool);
    for (const [userId, attributes] of Object.entries(fillDates(stream.profiles, definition.entry.timezone ?? 'UTC'))) {
      await h.db.dataSource.query(`insert into user_profiles (user_id, attributes) values ($1, $2::jsonb)`, [userId, JSON.stringify(attributes)]);
    }
    const c = { key: definition.key, version: await h.seedCampaign(definition) };
    for (const e of stream.events) await h.send(c, e, plan.entryTypes.includes(e.type) ? 'start' : 'signal');
    if (stream.tick) {
      await h.client.workflow.execute(batchEntryWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: `tick:${definition.key}`,
        args: [{ version: 1, campaignKey: definition.key, campaignVersion: c.version }],
      });
    }

    const rewards = await eventually(async () => {
      const rows: Array<{ user_id: string; kind: string; amount: number | null }> = await h.db.dataSource.query(
        `select user_id, kind, amount::float as amount from rewards where campaign_key = $1 order by user_id, kind`,
        [definition.key],
      );
      return rows.length >= stream.expect.rewards.length ? rows : undefined;
    });
    expect(rewards).toEqual(
      // A coupon has a code, not an amount: only what the stream names is compared.
      stream.expect.rewards.map((r) => ({ user_id: r.userId, kind: r.kind, amount: r.amount ?? null })),
    );
    for (const [userId, state] of Object.entries(stream.expect.states ?? {})) {
      const view = await h.waitForView(definition.key, userId, (v) => v.states.includes(state) || v.finished.some((f) => f.state === state));
      expect([...view.states, ...view.finished.map((f) => f.state)]).toContain(state);
    }
  });
});
