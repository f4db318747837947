import { randomBytes } from 'node:crypto';
import { createRetentionActivities, type PruneCursor, type RetentionKind } from '../src/activities/retention/retention-activities';
import { JourneyGateway } from '../src/temporal/journey-gateway';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * User ids holding a TAB, a line feed, a carriage return or a backspace are
 * accepted, but a Temporal visibility query matches none of them (on the dev
 * server: neither the character nor its escape), and one starting or ending
 * with a ' matches another (the quotes stripped). Listed through visibility,
 * such a user's journeys were not there (or another user's were): the
 * support page showed none, and retention took the running ones for ended
 * and pruned what they still need (review 61, finding 1). They are described
 * by id instead, which is exact.
 */
describe("user ids with control characters or a ' at an end: journeys found by id, not through visibility (review 61, finding 1)", () => {
  let sut: SystemUnderTest;
  // The default namespace is shared with other suites: ids of this run's own.
  const run = randomBytes(3).toString('hex');
  const campaign = `ctl-wait-${run}`;
  const plain = `w_x-${run}`;
  // TAB, LF, CR and backspace match nothing; a ' at either end is stripped, so `'w_x-…'` matched the plain user (and
  // its journey id, ending in a ', the plain user's journey). \u0001 matches on the dev server, but is described too.
  const odd = [`w\tx-${run}`, `a\nb-${run}`, `r\rx-${run}`, `b\bs-${run}`, `'${plain}'`, `c\u0001d-${run}`];
  const eventOf = (user: string) => `ctl-${[...user].map((c) => c.charCodeAt(0).toString(16)).join('-')}`;
  const q = (sql: string, params: unknown[] = []) => sut.db.dataSource.query(sql, params);
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
  const journeysOf = (userId: string) => sut.request('GET', `/v1/users/${encodeURIComponent(userId)}/journeys`, { role: 'support' });

  beforeAll(async () => {
    sut = await startSystemUnderTest();
    // A journey that waits a month: running for the whole suite.
    await launchCampaign(sut, {
      key: campaign,
      name: 'Waits a month',
      entry: { on: 'wait.start' },
      initial: 'waiting',
      states: { waiting: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
    });
    for (const user of [plain, ...odd]) await sendEvent(sut, { id: eventOf(user), type: 'wait.start', userId: user });
    // Each journey runs (read by id), and visibility lists the plain one: it has caught up with the starts.
    for (const user of [plain, ...odd]) {
      await eventually(async () => ((await sut.request('GET', `/v1/journeys/${campaign}/${encodeURIComponent(user)}`, { role: 'support' })).status === 200 ? true : undefined), 60_000);
    }
    await eventually(async () => ((await journeysOf(plain)).body.journeys?.length === 1 ? true : undefined), 60_000);
  });
  afterAll(async () => {
    if (sut) {
      for (const user of [plain, ...odd]) await sut.client.workflow.getHandle(`journey:${campaign}:${user}`).terminate('test over').catch(() => undefined);
    }
    await sut?.stop();
  });

  it("GET /v1/users/:id/journeys lists each such user's running journey", async () => {
    for (const user of odd) {
      const r = await journeysOf(user);
      expect({ user, status: r.status, journeys: r.body.journeys }).toEqual({
        user,
        status: 200,
        journeys: [expect.objectContaining({ campaign, workflowId: `journey:${campaign}:${user}`, status: 'running', state: 'waiting' })],
      });
    }
  });

  it('retention counts their journeys as running: their old events, deliveries and unfinished webhook calls stay', async () => {
    const gateway = new JourneyGateway(sut.client, sut.taskQueue);
    // As if it all happened long ago: the events and their deliveries past their windows, a webhook call of each journey left retrying.
    const events = [plain, ...odd].map(eventOf);
    await eventually(async () => {
      const delivered = (await q(`select count(*)::int as n from signal_outbox where event_id = any($1::text[]) and delivered_at is not null`, [events])) as Array<{ n: number }>;
      return delivered[0].n === events.length ? true : undefined;
    }, 60_000);
    await q(`update events set received_at = $2 where id = any($1::text[])`, [events, daysAgo(100)]);
    await q(`update signal_outbox set delivered_at = $2 where event_id = any($1::text[])`, [events, daysAgo(100)]);
    for (const [i, user] of [plain, ...odd].entries()) {
      await q(`insert into webhook_calls (idempotency_key, campaign_key, user_id, url, payload, status, created_at, updated_at) values ($1, $2, $3, 'https://x.example', '{}', 'retrying', $4, $4)`, [
        `ctl-call-${run}-${i}`,
        campaign,
        user,
        daysAgo(200),
      ]);
    }
    // And what a journey that ended long ago left: the pass does prune.
    await q(`insert into events (id, type, user_id, occurred_at, received_at) values ($1, 'wait.start', 'gone', $2, $2)`, [`ctl-gone-${run}`, daysAgo(100)]);
    await q(
      `insert into signal_outbox (event_id, kind, campaign_key, campaign_version, user_id, workflow_id, payload, delivered_at, outcome) values ($1, 'signal', 'gone', 1, 'gone', $2, '{}'::jsonb, $3, 'delivered')`,
      [`ctl-gone-${run}`, `journey:gone:${run}`, daysAgo(100)],
    );

    const { pruneExpired } = createRetentionActivities({ dataSource: sut.db.dataSource, journeys: gateway });
    const pass = async (kind: RetentionKind, days: number) => {
      let after: PruneCursor | null = null;
      for (let batch = 0; batch < 100; batch++) {
        const result = await pruneExpired({ kind, cutoff: daysAgo(days).toISOString(), limit: 100, after });
        if (result.done) return;
        after = result.after;
      }
      throw new Error(`the ${kind} pass did not finish`);
    };
    await pass('deliveries', 30);
    await pass('events', 90);
    await pass('webhookCalls', 180);

    const left = async (sql: string, params: unknown[]) => ((await q(sql, params)) as Array<{ id: string }>).map((r) => r.id).sort();
    expect(await left(`select id from events where id = any($1::text[]) or id = $2`, [events, `ctl-gone-${run}`])).toEqual([...events].sort());
    expect(await left(`select event_id as id from signal_outbox where event_id = any($1::text[]) or event_id = $2`, [events, `ctl-gone-${run}`])).toEqual([...events].sort());
    expect(await left(`select user_id as id from webhook_calls where idempotency_key like $1`, [`ctl-call-${run}-%`])).toEqual([plain, ...odd].sort());
    // What the pass asked: each journey runs, those described by id among them.
    const ids = [plain, ...odd].map((u) => gateway.idOf(campaign, u));
    expect([...(await gateway.running(ids))].sort()).toEqual([...ids].sort());
  });
});
