import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BatchSchedules } from '../src/api/campaigns/batch-schedules.service';
import { CampaignIndex } from '../src/api/routing/campaign-index';
import { batchScheduleId } from '../src/workflows/batch-entry.workflow';
import { PlanStore } from '../src/store/plan-store';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { TransitionsRepository } from '../src/store/repositories/transitions.repository';
import { ensurePool, spendAndPost } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type HttpResult, type SystemUnderTest } from './support/system-under-test';

const paths = (res: { body: { error: { details: Array<{ path: string }> } } }) => res.body.error.details.map((d) => d.path).sort();

describe('campaigns API: lifecycle, compile errors, routing', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const send = (id: string, type: string, userId: string) => sut.request('POST', '/v1/events', { role: 'ingest', body: { id, type, userId, properties: { amount: 30 } } });
  /** An event's deliveries once their outcomes are recorded (just after the 202, many requests' in one statement). */
  const outboxOf = (eventId: string) =>
    eventually(async () => {
      const rows = await sut.db.dataSource.query(`select kind, campaign_key, outcome, delivered_at is not null as done from signal_outbox where event_id = $1`, [eventId]);
      return rows.every((r: { done: boolean }) => r.done) ? rows : undefined;
    });

  it('validates without storing: the summary, or every problem with its path and position', async () => {
    const good = await op('POST', '/v1/campaigns/validate', spendAndPost());
    expect(good.status).toBe(200);
    expect(good.body).toEqual({
      ok: true,
      summary: expect.objectContaining({ key: 'spend-and-post', entryTypes: ['order.completed'], listenTypes: ['order.completed', 'post.created', 'user.unsubscribed'], pools: ['vip-20-off'] }),
      // No pool vip-20-off yet: it may be saved, but activation would be refused, and the answer says where.
      warnings: [{ path: 'states.rewarded.actions.steps[0].pool', message: expect.stringMatching(/vip-20-off/) }],
    });
    const bad = spendAndPost();
    bad.states.collecting.transitions[0].when = 'event.amount >> 2';
    bad.states.rewarded.actions.steps[1].amount = 'sum(';
    bad.states.nudged.trasitions = [];
    const res = await op('POST', '/v1/campaigns/validate', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_campaign');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'states.nudged.trasitions' })]));
    const fixed = { ...bad, states: { ...bad.states, nudged: { ...bad.states.nudged, trasitions: undefined } } };
    delete fixed.states.nudged.trasitions;
    const res2 = await op('POST', '/v1/campaigns/validate', fixed);
    expect(res2.status).toBe(400);
    expect(res2.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'states.collecting.transitions[0].when', message: expect.any(String), position: 14 },
        expect.objectContaining({ path: 'states.rewarded.actions.steps[1].amount', position: expect.any(Number) }),
      ]),
    );
    const huge = spendAndPost();
    huge.states.rewarded.actions.steps[1].amount = 1e13;
    const res3 = await op('POST', '/v1/campaigns/validate', huge);
    expect(res3.status).toBe(400);
    expect(res3.body.error.details).toEqual([{ path: 'states.rewarded.actions.steps[1].amount', message: 'at most 1,000,000,000,000, the most one reward gives' }]);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from campaigns`);
    expect(n).toBe(0);
  });

  it("checks entry.cron with a parser (its path) and lists the next three runs in the campaign's zone", async () => {
    const batch = (cron: string) => ({
      key: 'monday-gold',
      name: 'Monday gold',
      entry: { cron, timezone: 'America/New_York' },
      audience: 'user.tier == "gold"',
      initial: 'done',
      states: { done: { end: true } },
    });
    const bad = await op('POST', '/v1/campaigns/validate', batch('0 24 * * 1'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'entry.cron', message: expect.stringMatching(/^not a valid cron expression: .*hour/) }]);
    const good = await op('POST', '/v1/campaigns/validate', batch('0 9 * * 1'));
    expect(good.status).toBe(200);
    const runs: string[] = good.body.summary.entryCronNextRuns;
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(run).toMatch(/^\d{4}-\d{2}-\d{2}T09:00:00-0[45]:00$/);
    expect(new Date(runs[0]).getTime()).toBeGreaterThan(Date.now());
    expect(new Set(runs.map((r) => new Date(r).getUTCDay()))).toEqual(new Set([1]));
  });

  it('creates a draft (201), refuses the same key (409) and a campaign that does not compile (400, nothing stored)', async () => {
    const created = await op('POST', '/v1/campaigns', spendAndPost());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: 'spend-and-post', version: 1, status: 'draft' });
    const again = await op('POST', '/v1/campaigns', spendAndPost());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('campaign_exists');

    const broken = spendAndPost('broken');
    broken.states.collecting.transitions[1].to = 'nowhere';
    broken.states.rewarded.actions.steps[0].type = 'cupon';
    const res = await op('POST', '/v1/campaigns', broken);
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(['states.rewarded.actions.steps[0].type']));
    expect((await op('GET', '/v1/campaigns/broken')).status).toBe(404);
    const notAnObject = await op('POST', '/v1/campaigns', [1, 2]);
    expect(notAnObject.status).toBe(400);
  });

  it('adds immutable versions with PUT: 404 for an unknown key, 400 for a key that differs or a compile error', async () => {
    const v2 = spendAndPost();
    delete v2.key;
    v2.name = 'Spend and post, second edition';
    const put = await op('PUT', '/v1/campaigns/spend-and-post', v2);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ key: 'spend-and-post', version: 2 });

    expect((await op('PUT', '/v1/campaigns/nope', spendAndPost('nope'))).status).toBe(404);
    const otherKey = await op('PUT', '/v1/campaigns/spend-and-post', spendAndPost('other'));
    expect(otherKey.status).toBe(400);
    expect(paths(otherKey)).toEqual(['key']);
    const bad = spendAndPost();
    bad.initial = 'nowhere';
    const badRes = await op('PUT', '/v1/campaigns/spend-and-post', bad);
    expect(badRes.status).toBe(400);
    expect(paths(badRes)).toContain('initial');

    const versions = await sut.db.dataSource.query(`select version, definition from campaign_versions where campaign_key = 'spend-and-post' order by version`);
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    // Stored as submitted, with the key of the path.
    expect(versions[1].definition).toEqual({ ...v2, key: 'spend-and-post' });
    expect(versions[0].definition).toEqual(spendAndPost());
  });

  it('routes nothing for a draft', async () => {
    const res = await send('draft-1', 'order.completed', 'u-1');
    expect(res.body.results[0].journeys).toEqual([]);
    expect(await outboxOf('draft-1')).toEqual([]);
  });

  it('refuses to activate against missing pools (400 with the step path), 404 for an unknown version', async () => {
    await sut.db.dataSource.query(`create table if not exists reward_pools (key text primary key, kind text not null, definition jsonb not null)`);
    const res = await op('POST', '/v1/campaigns/spend-and-post/activate', {});
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'states.rewarded.actions.steps[0].pool' })]);
    expect((await op('POST', '/v1/campaigns/spend-and-post/activate', { version: 7 })).status).toBe(404);
    expect((await op('POST', '/v1/campaigns/nope/activate', {})).status).toBe(404);
    const badBody = await op('POST', '/v1/campaigns/spend-and-post/activate', { version: 'two' });
    expect(badBody.status).toBe(400);
    expect(paths(badBody)).toEqual(['version']);
    expect((await op('GET', '/v1/campaigns/spend-and-post')).body.status).toBe('draft');
  });

  it('activates the latest version by default once its pools exist; entry events then start journeys', async () => {
    await ensurePool(sut.db.dataSource, 'vip-20-off', 'points');
    const wrongKind = await op('POST', '/v1/campaigns/spend-and-post/activate');
    expect(wrongKind.status).toBe(400);
    expect(paths(wrongKind)).toEqual(['states.rewarded.actions.steps[0].pool']);
    // Validate says the same before anyone tries.
    expect((await op('POST', '/v1/campaigns/validate', spendAndPost())).body.warnings.map((w: { path: string }) => w.path)).toEqual(['states.rewarded.actions.steps[0].pool']);
    await sut.db.dataSource.query(`update reward_pools set kind = 'coupon' where key = 'vip-20-off'`);
    expect((await op('POST', '/v1/campaigns/validate', spendAndPost())).body.warnings).toEqual([]);

    const res = await op('POST', '/v1/campaigns/spend-and-post/activate');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'spend-and-post', status: 'active', activeVersion: 2, latestVersion: 2 });

    const entry = await send('active-1', 'order.completed', 'u-1');
    expect(entry.body.results[0]).toEqual({ id: 'active-1', status: 'accepted', journeys: ['journey:spend-and-post:u-1'] });
    expect(await outboxOf('active-1')).toEqual([{ kind: 'start', campaign_key: 'spend-and-post', outcome: 'delivered', done: true }]);
    // A listened type for a user with no journey reaches none, and says so.
    const listened = await send('active-2', 'post.created', 'u-2');
    expect(listened.body.results[0].journeys).toEqual([]);
    expect(await outboxOf('active-2')).toEqual([{ kind: 'signal', campaign_key: 'spend-and-post', outcome: 'not-running', done: true }]);
    // Nobody uses this type: stored, nothing queued.
    const unused = await send('active-3', 'page.viewed', 'u-1');
    expect(unused.body.results[0].journeys).toEqual([]);
    expect(await outboxOf('active-3')).toEqual([]);
  });

  it('pauses: no new entries, but running journeys still get the events they listen to', async () => {
    const paused = await op('POST', '/v1/campaigns/spend-and-post/pause');
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect((await op('POST', '/v1/campaigns/spend-and-post/pause')).status).toBe(200);

    const entry = await send('paused-1', 'order.completed', 'u-3');
    expect(entry.body.results[0].journeys).toEqual([]);
    // order.completed is also read by the campaign's aggregates: it goes as a signal, never as a start.
    expect(await outboxOf('paused-1')).toEqual([{ kind: 'signal', campaign_key: 'spend-and-post', outcome: 'not-running', done: true }]);

    // A journey that is running (held on a queue no worker polls, so it stays open) gets the signal.
    const handle = await sut.client.workflow.start('journeyWorkflow', {
      workflowId: 'journey:spend-and-post:u-9',
      taskQueue: `${sut.taskQueue}-idle`,
      args: [{ version: 1, campaignKey: 'spend-and-post', campaignVersion: 2, userId: 'u-9' }],
    });
    try {
      const listened = await send('paused-2', 'post.created', 'u-9');
      expect(listened.body.results[0].journeys).toEqual(['journey:spend-and-post:u-9']);
      const signalled: string[] = [];
      for await (const e of (await handle.fetchHistory()).events ?? []) {
        const input = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
        if (input) signalled.push(JSON.parse(Buffer.from(input).toString()).id);
      }
      expect(signalled).toEqual(['paused-2']);
    } finally {
      await handle.terminate('test done');
    }
  });

  it('activates with ifStatus only from those statuses: a pause, before or during the request, is not undone (409 naming it)', async () => {
    const activate = (body: unknown) => op('POST', '/v1/campaigns/spend-and-post/activate', body);
    const stateNow = async () => {
      const { status, activeVersion } = (await op('GET', '/v1/campaigns/spend-and-post')).body;
      return { status, activeVersion };
    };
    // Paused by the test before: an apply that accepts draft or active does not resume it.
    const refused = await activate({ version: 2, ifStatus: ['draft', 'active'] });
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 409,
      error: {
        code: 'invalid_status_change',
        message: 'Campaign spend-and-post is paused, and this request may activate it only from draft or active (ifStatus); nothing changed.',
        details: [{ path: 'ifStatus', message: 'the campaign is paused' }],
      },
    });
    expect(await stateNow()).toEqual({ status: 'paused', activeVersion: 2 });
    // A status that is not one: 400 at its index; an empty list: 400 at the field.
    const unknown = await activate({ ifStatus: ['draft', 'running'] });
    expect({ status: unknown.status, paths: paths(unknown) }).toEqual({ status: 400, paths: ['ifStatus[1]'] });
    const empty = await activate({ ifStatus: [] });
    expect({ status: empty.status, paths: paths(empty) }).toEqual({ status: 400, paths: ['ifStatus'] });
    // Naming paused resumes it, as an operator's activate does.
    expect((await activate({ version: 2, ifStatus: ['paused'] })).body).toMatchObject({ status: 'active', activeVersion: 2 });

    // The operator pauses between the service's read (active) and its update: the compare-and-set on the narrowed statuses refuses.
    const poolRefs = CampaignsRepository.prototype.poolRefs;
    const spy = jest.spyOn(CampaignsRepository.prototype, 'poolRefs').mockImplementation(async function (this: CampaignsRepository) {
      expect((await op('POST', '/v1/campaigns/spend-and-post/pause')).status).toBe(200);
      return poolRefs.apply(this);
    });
    try {
      const raced = await activate({ version: 2, ifStatus: ['draft', 'active'] });
      expect(spy).toHaveBeenCalled();
      expect({ status: raced.status, code: raced.body.error?.code, message: raced.body.error?.message }).toEqual({
        status: 409,
        code: 'invalid_status_change',
        message: 'Campaign spend-and-post changed meanwhile and is now paused, and this request may activate it only from draft or active (ifStatus); nothing changed.',
      });
    } finally {
      spy.mockRestore();
    }
    expect(await stateNow()).toEqual({ status: 'paused', activeVersion: 2 });
  });

  it('archives: no events at all; archived is final (409)', async () => {
    const archived = await op('POST', '/v1/campaigns/spend-and-post/archive');
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    expect((await op('POST', '/v1/campaigns/spend-and-post/archive')).status).toBe(200);
    for (const action of ['activate', 'pause']) {
      const res = await op('POST', `/v1/campaigns/spend-and-post/${action}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('invalid_status_change');
    }
    // No new version either: it could never take an entry.
    const versionsBefore = (await op('GET', '/v1/campaigns/spend-and-post')).body.versions.length;
    const saved = await op('PUT', '/v1/campaigns/spend-and-post', spendAndPost('spend-and-post'));
    expect(saved.status).toBe(409);
    expect(saved.body.error.code).toBe('campaign_archived');
    expect(saved.body.error.message).toContain('archived is final');
    expect((await op('GET', '/v1/campaigns/spend-and-post')).body.versions).toHaveLength(versionsBefore);
    // The store checks too, under the row's lock: an archive that lands between the service's check and the insert.
    const repo = new CampaignsRepository(sut.db.dataSource);
    expect(await repo.addVersion('spend-and-post', 'late', spendAndPost('spend-and-post'))).toEqual({ archived: true });
    expect((await op('GET', '/v1/campaigns/spend-and-post')).body.versions).toHaveLength(versionsBefore);
    const res = await send('archived-1', 'post.created', 'u-9');
    expect(res.body.results[0].journeys).toEqual([]);
    expect(await outboxOf('archived-1')).toEqual([]);
  });

  it('refuses to pause a draft (409)', async () => {
    expect((await op('POST', '/v1/campaigns', spendAndPost('draft-two'))).status).toBe(201);
    const res = await op('POST', '/v1/campaigns/draft-two/pause');
    expect(res.status).toBe(409);
  });

  it('changes a status only from the one the service checked (a concurrent change makes it refuse)', async () => {
    const repo = new CampaignsRepository(sut.db.dataSource);
    expect(await repo.changeStatus('draft-two', 'paused', ['active'])).toBeNull();
    expect((await repo.get('draft-two'))?.status).toBe('draft');
    // With the active version the caller read: none (null) holds for a draft, a version does not.
    expect(await repo.changeStatus('draft-two', 'draft', ['draft'], undefined, 1)).toBeNull();
    expect(await repo.changeStatus('draft-two', 'draft', ['draft'], undefined, null)).toMatchObject({ campaign: { status: 'draft', activeVersion: null } });
  });

  it('lists campaigns and shows one with its versions, status and journey counts per state', async () => {
    // The journey log as journeys write it (the funnel's counters and the entries with it), for a campaign no real journey runs in (so the counts are known).
    const insert = (user: string, fromState: string | null, toState: string, at: string) =>
      new TransitionsRepository(sut.db.dataSource).record({
        idempotencyKey: `${user}:${toState}`,
        campaignKey: 'draft-two',
        campaignVersion: 1,
        userId: user,
        workflowId: `journey:draft-two:${user}`,
        fromState,
        toState,
        at,
        cause: 'test',
      });
    await insert('c-1', null, 'collecting', '2026-11-01T00:00:00Z');
    await insert('c-1', 'collecting', 'rewarded', '2026-11-02T00:00:00Z');
    await insert('c-2', null, 'collecting', '2026-11-01T00:00:00Z');
    await insert('c-2', 'collecting', 'nudged', '2026-11-04T00:00:00Z');
    await insert('c-3', null, 'collecting', '2026-11-05T00:00:00Z');

    const list = await op('GET', '/v1/campaigns');
    expect(list.status).toBe(200);
    expect(list.body.campaigns).toEqual([
      expect.objectContaining({ key: 'draft-two', status: 'draft', activeVersion: null, latestVersion: 1 }),
      expect.objectContaining({ key: 'spend-and-post', status: 'archived', activeVersion: 2, latestVersion: 2 }),
    ]);

    // With counts: entries from journey_entries (written with the log rows above), running journeys from Temporal.
    const [{ n: entries }] = await sut.db.dataSource.query(`select count(*)::int as n from journey_entries where campaign_key = 'spend-and-post'`);
    const draftNow = ((await op('GET', '/v1/campaigns/draft-two/funnel')).body.states as Array<{ current: number }>).reduce((n, s) => n + s.current, 0);
    // c-2 in nudged and c-3 in collecting; c-1 is in rewarded, where draft-two's journeys end.
    expect(draftNow).toBe(2);
    const agreed = await eventually(async () => {
      const [counted, running] = await Promise.all([op('GET', '/v1/campaigns?counts=true'), op('GET', '/v1/campaigns/spend-and-post/running')]);
      const spend = counted.body.campaigns.find((c: { key: string }) => c.key === 'spend-and-post');
      return spend.counts.running === running.body.total ? counted.body.campaigns : undefined;
    });
    expect(agreed.map((c: { key: string; counts: unknown }) => [c.key, c.counts])).toEqual([
      // Never activated: Temporal is not asked about it.
      // In states now: what the funnel counts there now, summed.
      ['draft-two', { entered: 3, current: draftNow, running: 0 }],
      ['spend-and-post', { entered: entries, current: expect.any(Number), running: expect.any(Number) }],
    ]);
    for (const [query, path] of [
      ['counts=yes', 'counts'],
      ['count=true', 'count'],
    ]) {
      const bad = await op('GET', `/v1/campaigns?${query}`);
      expect({ status: bad.status, paths: bad.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: [path] });
    }

    const one = await op('GET', '/v1/campaigns/spend-and-post');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ key: 'spend-and-post', name: 'Spend and post, second edition', status: 'archived', activeVersion: 2 });
    expect(one.body.versions.map((v: { version: number; activatedAt: string | null }) => [v.version, v.activatedAt !== null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(one.body.versions[1].definition.name).toBe('Spend and post, second edition');

    const counted = await op('GET', '/v1/campaigns/draft-two');
    expect(counted.body.counts).toEqual({
      journeys: 3,
      states: [
        { state: 'collecting', entered: 3, current: 1, ended: 0 },
        { state: 'nudged', entered: 1, current: 1, ended: 0 },
        // An end state: c-1 ended there, so it is not there now (as in the funnel).
        { state: 'rewarded', entered: 1, current: 0, ended: 1 },
      ],
    });
  });

  it("counts a state by each version's role: a journey that ended there (an end state in v1) is not one waiting there (in v2)", async () => {
    // Review 60 (analytics), finding 1: every version's `current` counter of the state was summed into one figure.
    const v1 = { key: 'role-change', name: 'Role change', entry: { on: 'order.completed' }, initial: 'a', states: { a: { transitions: [{ to: 'r', on: 'r.go' }] }, r: { end: true } } };
    expect((await op('POST', '/v1/campaigns', v1)).status).toBe(201);
    const v2 = { ...v1, states: { ...v1.states, r: { transitions: [{ to: 'f', on: 'f.go' }] }, f: { end: true } } };
    expect((await op('PUT', '/v1/campaigns/role-change', v2)).body).toEqual({ key: 'role-change', version: 2 });
    const log = new TransitionsRepository(sut.db.dataSource);
    for (const [user, version] of [
      ['u1', 1],
      ['u2', 2],
    ] as const) {
      const moves: Array<[string | null, string, string]> = [
        [null, 'a', '2026-11-01T00:00:00Z'],
        ['a', 'r', '2026-11-02T00:00:00Z'],
      ];
      for (const [fromState, toState, at] of moves) {
        await log.record({ idempotencyKey: `${user}:${toState}`, campaignKey: 'role-change', campaignVersion: version, userId: user, workflowId: `journey:role-change:${user}`, fromState, toState, at, cause: 'test' });
      }
    }

    const detail = await op('GET', '/v1/campaigns/role-change');
    expect(detail.status).toBe(200);
    // u1 ended in r (v1's end state); u2 waits in r (v2 goes on from it to f).
    expect(detail.body.counts.states).toEqual([
      { state: 'a', entered: 2, current: 0, ended: 0 },
      { state: 'r', entered: 2, current: 1, ended: 1 },
    ]);
    // `current` is the funnel's, over all versions.
    const funnel = await op('GET', '/v1/campaigns/role-change/funnel');
    expect(funnel.body.states.find((s: { state: string }) => s.state === 'r')).toMatchObject({ current: 1 });
  });

  it('builds the index from compiled plans: listened types of every version that took entries', async () => {
    const repo = new CampaignsRepository(sut.db.dataSource);
    const v1 = spendAndPost('versions');
    await repo.saveActive('versions', v1);
    const v2 = spendAndPost('versions');
    v2.exitOn = [{ on: 'account.closed' }];
    v2.entry = { on: 'signup.completed' };
    await repo.saveActive('versions', v2);
    const index = new CampaignIndex(repo, new PlanStore(repo));
    await index.reload();
    expect(index.route('signup.completed')).toEqual({ start: [{ key: 'versions', version: 2 }], signal: [] });
    expect(index.route('account.closed').signal).toEqual([{ key: 'versions', version: 2 }]);
    // Version 1's journeys still run and still exit on unsubscription.
    expect(index.route('user.unsubscribed').signal).toEqual([{ key: 'versions', version: 2 }]);
    // order.completed no longer starts (v2 enters on signup), but v1 and v2 aggregates read it.
    expect(index.route('order.completed')).toEqual({ start: [], signal: [{ key: 'versions', version: 2 }] });
    expect(index.route('nothing.uses.this')).toEqual({ start: [], signal: [] });
  });

  it('keeps the batch-entry schedule of an entry.cron campaign in line with its status', async () => {
    const birthday = JSON.parse(readFileSync(path.join(__dirname, '../examples/campaigns/birthday.json'), 'utf8'));
    await ensurePool(sut.db.dataSource, 'birthday-points', 'points');
    expect((await op('POST', '/v1/campaigns', birthday)).status).toBe(201);
    const schedule = sut.client.schedule.getHandle(batchScheduleId('birthday'));
    await expect(schedule.describe()).rejects.toThrow();

    expect((await op('POST', '/v1/campaigns/birthday/activate')).status).toBe(200);
    const active = await schedule.describe();
    expect(active.state.paused).toBe(false);
    expect(active.spec.timezone).toBe('Europe/Paris');

    expect((await op('POST', '/v1/campaigns/birthday/pause')).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(true);
    expect((await op('POST', '/v1/campaigns/birthday/activate')).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(false);

    expect((await op('POST', '/v1/campaigns/birthday/archive')).status).toBe(200);
    await expect(schedule.describe()).rejects.toThrow();
  });

  it("leaves the schedule as the campaign ends up when a pause and an activation sync in the other order", async () => {
    const weekly = { key: 'race', name: 'Race', entry: { cron: '0 9 * * 1' }, audience: 'user.plan == "gold"', initial: 'done', states: { done: { end: true } } };
    expect((await op('POST', '/v1/campaigns', weekly)).status).toBe(201);
    expect((await op('POST', '/v1/campaigns/race/activate')).status).toBe(200);
    const schedule = sut.client.schedule.getHandle(batchScheduleId('race'));
    expect((await schedule.describe()).state.paused).toBe(false);
    // The pause's sync is held (a slow Temporal call) until the activation after it has synced.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sync = BatchSchedules.prototype.sync;
    const spy = jest.spyOn(BatchSchedules.prototype, 'sync').mockImplementation(async function (this: BatchSchedules, ...args: Parameters<BatchSchedules['sync']>) {
      if (spy.mock.calls.length === 1) await held;
      return sync.apply(this, args);
    });
    try {
      const pausing = op('POST', '/v1/campaigns/race/pause');
      await eventually(async () => spy.mock.calls.length === 1 || undefined);
      // The activation commits and syncs while the pause's sync waits; the pause's then lands last.
      expect((await op('POST', '/v1/campaigns/race/activate')).status).toBe(200);
      expect((await schedule.describe()).state.paused).toBe(false);
      release();
      expect((await pausing).status).toBe(200);
    } finally {
      release();
      spy.mockRestore();
    }
    expect((await op('GET', '/v1/campaigns/race')).body.status).toBe('active');
    expect((await schedule.describe()).state.paused).toBe(false);
  });

  it.each([
    ['its first sync', 1],
    ['its resync to the newer status', 3],
  ])('names the request that brings the schedule in line, not the one sent, when another change landed and %s fails', async (_which, failing) => {
    const key = `relay-${failing}`;
    const weekly = { key, name: 'Relay', entry: { cron: '0 9 * * 1' }, audience: 'user.plan == "gold"', initial: 'done', states: { done: { end: true } } };
    expect((await op('POST', '/v1/campaigns', weekly)).status).toBe(201);
    expect((await op('POST', `/v1/campaigns/${key}/activate`)).status).toBe(200);
    const schedule = sut.client.schedule.getHandle(batchScheduleId(key));
    // The pause's sync waits until the activation has synced; then the failing call finds Temporal gone.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sync = BatchSchedules.prototype.sync;
    const spy = jest.spyOn(BatchSchedules.prototype, 'sync').mockImplementation(async function (this: BatchSchedules, ...args: Parameters<BatchSchedules['sync']>) {
      const call = spy.mock.calls.length;
      if (call === 1) await held;
      // A Temporal whose calls all fail, behind the real sync.
      const unreachable = { withDeadline: () => Promise.reject(new Error('14 UNAVAILABLE: connection refused')) };
      return sync.apply(call === failing ? Object.create(this, { temporal: { value: unreachable } }) : this, args);
    });
    let pausing!: Promise<HttpResult>;
    try {
      pausing = op('POST', `/v1/campaigns/${key}/pause`);
      await eventually(async () => spy.mock.calls.length === 1 || undefined);
      expect((await op('POST', `/v1/campaigns/${key}/activate`)).status).toBe(200);
      release();
      await pausing;
    } finally {
      release();
      spy.mockRestore();
    }
    const answer = await pausing;
    expect(answer.status).toBe(503);
    const message: string = answer.body.error.message;
    expect(message).toContain('now active (version 1)');
    expect(message).toContain('Do not send this request again');
    expect(message).toContain(`POST /v1/campaigns/${key}/activate with {"version":1}`);
    // No Retry-After: a client retrying what it invites would pause the campaign.
    expect(answer.headers.get('retry-after')).toBeNull();
    // The request named brings the schedule back in line with the active campaign.
    expect((await op('POST', `/v1/campaigns/${key}/activate`, { version: 1 })).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(false);
    expect((await op('GET', `/v1/campaigns/${key}`)).body.status).toBe('active');
  });

  it("refuses to activate a credit step in another currency than its pool's (400 at the step's currency), and validate warns of it", async () => {
    expect((await op('POST', '/v1/pools', { key: 'eur-credit', kind: 'credit', currency: 'EUR', budget: 1000 })).status).toBe(201);
    const inCurrency = (currency: string) => ({
      key: 'usd-on-eur',
      name: 'USD on EUR',
      entry: { on: 'usd-on-eur.entered' },
      initial: 'credited',
      states: { credited: { actions: { steps: [{ id: 'c', type: 'credit', amount: 5, currency, pool: 'eur-credit' }] }, end: true } },
    });
    const mismatch = { path: 'states.credited.actions.steps[0].currency', message: 'pool "eur-credit" holds EUR; this step gives USD' };
    // Saving checks no pools; validate says what activation would refuse.
    expect((await op('POST', '/v1/campaigns', inCurrency('USD'))).status).toBe(201);
    const validated = await op('POST', '/v1/campaigns/validate', inCurrency('USD'));
    expect({ status: validated.status, warnings: validated.body.warnings }).toEqual({ status: 200, warnings: [mismatch] });
    const refused = await op('POST', '/v1/campaigns/usd-on-eur/activate');
    expect({ status: refused.status, details: refused.body.error?.details }).toEqual({ status: 400, details: [mismatch] });
    expect((await op('GET', '/v1/campaigns/usd-on-eur')).body.status).toBe('draft');
    expect((await op('POST', '/v1/campaigns/validate', inCurrency('EUR'))).body.warnings).toEqual([]);
  });
});
