import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { toJourneyEvent } from '../src/domain/event';
import { GroupedEventStore } from '../src/api/events/grouped-event-store';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { isBackgroundClaim, spyOnStatements } from './support/statement-spy';

const welcome = { key: 'welcome', name: 'Welcome', entry: { on: 'order.completed' }, initial: 'welcomed', states: { welcomed: { end: true } } };

/** Entered on `basket.opened`, ended by `basket.closed`: a batch holding both reaches one journey as a start and a signal. */
const batched = {
  key: 'batched',
  name: 'Batched',
  entry: { on: 'basket.opened' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'closed', on: 'basket.closed' }] }, closed: { end: true } },
};

/** Two campaigns entered by the same event type: one event, two journeys. */
const giftCampaign = (key: string) => ({ key, name: key, entry: { on: 'gift.sent' }, initial: 'sent', states: { sent: { end: true } } });

describe('ingestion: events and their deliveries are stored together, then sent', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest({
      beforeStart: async (db) => {
        await new CampaignsRepository(db.dataSource).saveActive('welcome', welcome);
        await new CampaignsRepository(db.dataSource).saveActive('batched', batched);
        for (const key of ['gift-thanks', 'gift-log']) await new CampaignsRepository(db.dataSource).saveActive(key, giftCampaign(key));
      },
    });
  });
  afterAll(async () => sut?.stop());

  const outbox = () => sut.db.dataSource.query(`select event_id, kind, workflow_id, outcome, delivered_at is not null as done from signal_outbox order by id`);

  it('takes 1000 events in one request with one statement to store them, and queues only the routed ones', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      i % 100 === 0 ? { id: `big-${i}`, type: 'order.completed', userId: `big-user-${i}` } : { id: `big-${i}`, type: 'page.viewed', userId: 'u-x' },
    );
    const query = spyOnStatements(sut.db.dataSource);
    // The worker, the relay and the cancel finisher share the data source: only the statements about the outbox count,
    // and the background claims run on their own timers.
    const statements = () =>
      query
        .texts()
        .filter((sql) => sql.includes('signal_outbox') && !isBackgroundClaim(sql) && !sql.startsWith('select'))
        .map((sql) => sql.split(/\s+/).slice(0, 2).join(' '));
    const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: { events } });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1000);
    const routed = res.body.results.filter((r: { journeys: string[] }) => r.journeys.length > 0);
    expect(routed.map((r: { id: string }) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `big-${i * 100}`));
    expect(routed[3].journeys).toEqual(['journey:welcome:big-user-300']);
    // One statement stores the events and their deliveries; one records the delivery outcomes (after the answer).
    const rows = await eventually(async () => {
      const all = (await outbox()).filter((r: { event_id: string }) => r.event_id.startsWith('big-'));
      return all.length === 10 && all.every((r: { done: boolean; outcome: string }) => r.done && r.outcome === 'delivered') ? all : undefined;
    });
    const made = statements();
    query.restore();
    expect(rows).toHaveLength(10);
    expect(made).toEqual(['with input', 'with lazy_commit']);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from events where id like 'big-%'`);
    expect(n).toBe(1000);
  });

  it('lists every journey an event reached, for each event of a batch', async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: { events: ['a', 'b', 'c'].map((u) => ({ id: `gift-${u}`, type: 'gift.sent', userId: `giver-${u}` })) },
    });
    expect(res.status).toBe(202);
    expect(res.body.results.map((r: { id: string; journeys: string[] }) => [r.id, [...r.journeys].sort()])).toEqual(
      ['a', 'b', 'c'].map((u) => [`gift-${u}`, [`journey:gift-log:giver-${u}`, `journey:gift-thanks:giver-${u}`]]),
    );
    // The journeys load and end, and the outcomes are recorded, after the answer: all waited for here, so that
    // none of their statements is counted by the next test.
    await Promise.all(res.body.results.flatMap((r: { journeys: string[] }) => r.journeys.map((id) => sut.client.workflow.getHandle(id).result())));
    await eventually(async () => {
      const gifts = (await outbox()).filter((r: { event_id: string }) => r.event_id.startsWith('gift-'));
      return gifts.length === 6 && gifts.every((r: { done: boolean }) => r.done) ? gifts : undefined;
    });
  });

  it('costs one statement for events no campaign uses', async () => {
    const query = spyOnStatements(sut.db.dataSource);
    const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: { events: [{ id: 'quiet-1', type: 'page.viewed', userId: 'u' }, { id: 'quiet-2', type: 'app.opened', userId: 'u' }] } });
    // The background claims run on their own timers, and the worker logs earlier tests' journeys meanwhile: neither is this request's.
    const calls = query.texts().filter((sql) => !isBackgroundClaim(sql) && !sql.includes('journey_transitions')).length;
    query.restore();
    expect(res.status).toBe(202);
    expect(res.body.results.map((r: { journeys: string[] }) => r.journeys)).toEqual([[], []]);
    expect(calls).toBe(1);
  });

  it('sends a resent id to no journey again, in a batch or alone, even while concurrent', async () => {
    const event = { id: 'dup-1', type: 'order.completed', userId: 'dup-user' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => sut.request('POST', '/v1/events', { role: 'ingest', body: { events: [event, event] } })));
    const statuses = answers.flatMap((a) => a.body.results.map((r: { status: string }) => r.status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(7);
    // Recorded after the answers.
    const rows = await eventually(async () => {
      const dup = (await outbox()).filter((r: { event_id: string }) => r.event_id === 'dup-1');
      return dup.every((r: { done: boolean }) => r.done) ? dup : undefined;
    });
    expect(rows).toEqual([{ event_id: 'dup-1', kind: 'start', workflow_id: 'journey:welcome:dup-user', outcome: 'delivered', done: true }]);
    const history = await sut.client.workflow.getHandle('journey:welcome:dup-user').fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals).toHaveLength(1);
  });

  it('says which fields a resent id differs in from the event first accepted under it, and keeps the first', async () => {
    const post = (body: unknown) => sut.request('POST', '/v1/events', { role: 'ingest', body });
    const resentDiffering = async () => {
      const line = ((await sut.request('GET', '/metrics')).body as string).split('\n').find((l) => l.startsWith('kairos_events_resent_differing_total'));
      return Number(line?.split(' ').pop());
    };
    const first = { id: 'reuse-1', type: 'page.viewed', userId: 'reuse-user', occurredAt: '2026-01-01T10:00:00.123456Z', properties: { a: 1, b: { c: [1, 'x'] } } };
    expect((await post(first)).body.results).toEqual([{ id: 'reuse-1', status: 'accepted', journeys: [] }]);
    const before = await resentDiffering();

    // The same event written otherwise: another offset for the same instant, keys in another order, 1.0 for 1; or no time at all.
    const same = { id: 'reuse-1', type: 'page.viewed', userId: 'reuse-user', occurredAt: '2026-01-01T11:00:00.123456+01:00', properties: { b: { c: [1.0, 'x'] }, a: 1 } };
    const { occurredAt: _, ...untimed } = first;
    let res = await post({ events: [same, untimed] });
    expect(res.body.results).toEqual([
      { id: 'reuse-1', status: 'duplicate', journeys: [] },
      { id: 'reuse-1', status: 'duplicate', journeys: [] },
    ]);

    res = await post({
      events: [
        { ...first, userId: 'someone-else', properties: { a: 2, b: { c: [1, 'x'] } } },
        { ...first, type: 'order.completed' },
        { ...first, occurredAt: '2026-01-01T10:00:00.123457Z' },
        { id: 'reuse-2', type: 'page.viewed', userId: 'reuse-user' },
        { id: 'reuse-2', type: 'page.viewed', userId: 'reuse-user', properties: { a: 1 } },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 4 });
    expect(res.body.results).toEqual([
      { id: 'reuse-1', status: 'duplicate', journeys: [], differs: ['userId', 'properties'] },
      { id: 'reuse-1', status: 'duplicate', journeys: [], differs: ['type'] },
      { id: 'reuse-1', status: 'duplicate', journeys: [], differs: ['occurredAt'] },
      { id: 'reuse-2', status: 'accepted', journeys: [] },
      // Within one request too: the first of an id is the one accepted.
      { id: 'reuse-2', status: 'duplicate', journeys: [], differs: ['properties'] },
    ]);
    expect(await resentDiffering()).toBe(before + 4);
    // The type a resend gave would have started a journey: it started none, and the stored event is the first.
    expect((await outbox()).filter((r: { event_id: string }) => r.event_id === 'reuse-1')).toEqual([]);
    const stored = await sut.request('GET', '/v1/events/reuse-1', { role: 'support' });
    expect(stored.body).toMatchObject({ type: 'page.viewed', userId: 'reuse-user', properties: first.properties });

    // The comparison failing (PostgreSQL gone after the store) leaves the answer without differs, not an error: the events are accepted.
    const compare = jest.spyOn(sut.kairos.repositories.events, 'differencesFromStored').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    res = await post({ events: [{ id: 'reuse-3', type: 'page.viewed', userId: 'reuse-user' }, { ...first, type: 'order.completed' }] });
    expect(compare).toHaveBeenCalledTimes(1);
    compare.mockRestore();
    expect({ status: res.status, results: res.body.results }).toEqual({
      status: 202,
      results: [
        { id: 'reuse-3', status: 'accepted', journeys: [] },
        { id: 'reuse-1', status: 'duplicate', journeys: [] },
      ],
    });
  });

  it('shows an event\'s times to the microsecond stored, so resending the event as read back is the same event', async () => {
    const post = (body: unknown) => sut.request('POST', '/v1/events', { role: 'ingest', body });
    const resentDiffering = async () => {
      const line = ((await sut.request('GET', '/metrics')).body as string).split('\n').find((l) => l.startsWith('kairos_events_resent_differing_total'));
      return Number(line?.split(' ').pop());
    };
    // Past the millisecond (what a JavaScript Date holds), and a time with nothing past it, shown as toISOString writes it.
    const micro = { id: 'exact-1', type: 'page.viewed', userId: 'exact-user', occurredAt: '2026-06-01T12:00:00.123456Z', properties: { a: 1 } };
    const milli = { id: 'exact-2', type: 'page.viewed', userId: 'exact-user', occurredAt: '2026-06-01T12:00:00.120Z', properties: {} };
    expect((await post({ events: [micro, milli] })).body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    const stored: Array<{ id: string; received: string }> = await sut.db.dataSource.query(
      `select id, to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received from events where user_id = 'exact-user'`,
    );
    const receivedAt = (id: string) => stored.find((r) => r.id === id)!.received.replace(/(\.\d{3})000Z$/, '$1Z');

    const detail = await sut.request('GET', '/v1/events/exact-1', { role: 'support' });
    expect(detail.status).toBe(200);
    expect({ occurredAt: detail.body.occurredAt, receivedAt: detail.body.receivedAt }).toEqual({ occurredAt: '2026-06-01T12:00:00.123456Z', receivedAt: receivedAt('exact-1') });
    expect((await sut.request('GET', '/v1/events/exact-2', { role: 'support' })).body.occurredAt).toBe('2026-06-01T12:00:00.120Z');
    const listed = await sut.request('GET', '/v1/users/exact-user/events', { role: 'support' });
    expect(
      Object.fromEntries(listed.body.events.map((e: { id: string; occurredAt: string; receivedAt: string }) => [e.id, { occurredAt: e.occurredAt, receivedAt: e.receivedAt }])),
    ).toEqual({
      'exact-1': { occurredAt: '2026-06-01T12:00:00.123456Z', receivedAt: receivedAt('exact-1') },
      'exact-2': { occurredAt: '2026-06-01T12:00:00.120Z', receivedAt: receivedAt('exact-2') },
    });

    // A sender (or support tool) resending what it read back resends the same event: no differs, no false alarm.
    const before = await resentDiffering();
    const { id, type, userId, occurredAt, properties } = detail.body;
    const listedMicro = listed.body.events.find((e: { id: string }) => e.id === 'exact-1');
    const res = await post({ events: [{ id, type, userId, occurredAt, properties }, { id, type, userId, occurredAt: listedMicro.occurredAt, properties: listedMicro.properties }] });
    expect(res.body.results).toEqual([
      { id: 'exact-1', status: 'duplicate', journeys: [] },
      { id: 'exact-1', status: 'duplicate', journeys: [] },
    ]);
    expect(await resentDiffering()).toBe(before);
  });

  it('the relay sends what was stored but never sent (a crash between commit and send)', async () => {
    const repo = new SignalOutboxRepository(sut.db.dataSource);
    const event = toJourneyEvent({ id: 'orphan-1', type: 'order.completed', userId: 'orphan-user', properties: {} }, new Date());
    // As the events service stores it, with no lease left: as if the process died right after the commit.
    await repo.storeEvents([event], [{ eventId: 'orphan-1', kind: 'start', campaignKey: 'welcome', campaignVersion: 1, workflowId: 'journey:welcome:orphan-user' }], 0);
    const delivered = await eventually(async () => {
      const [row] = (await outbox()).filter((r: { event_id: string }) => r.event_id === 'orphan-1');
      return row?.done ? row : undefined;
    }, 15_000);
    expect(delivered.outcome).toBe('delivered');
    const description = await sut.client.workflow.getHandle('journey:welcome:orphan-user').describe();
    expect(description.workflowId).toBe('journey:welcome:orphan-user');
  });

  it("sends one journey's events in one request as one batched signal, applied in order", async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: {
        events: [
          { id: 'batch-1', type: 'basket.opened', userId: 'batch-user' },
          { id: 'batch-2', type: 'page.viewed', userId: 'batch-user' },
          { id: 'batch-3', type: 'basket.closed', userId: 'batch-user' },
        ],
      },
    });
    expect(res.status).toBe(202);
    const handle = sut.client.workflow.getHandle('journey:batched:batch-user');
    // The start event carried the close after it: the journey entered and then closed, in that order.
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ status: 'ended', entries: 1 });
    const history = await handle.fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
    expect(signals).toEqual(['events']);
    const view = await sut.request('GET', '/v1/journeys/batched/batch-user', { role: 'support' });
    expect(view.body.finished).toMatchObject([{ state: 'closed' }]);
    expect(view.body.trace.map((t: { input: string }) => t.input)).toEqual(['event basket.opened batch-1', 'event basket.closed batch-3']);
  });

  it("sends a run of one journey's entry events (each a start) as one batched signal", async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: { events: [1, 2, 3].map((i) => ({ id: `hot-${i}`, type: 'basket.opened', userId: 'hot-user' })) },
    });
    expect(res.status).toBe(202);
    const handle = sut.client.workflow.getHandle('journey:batched:hot-user');
    const view = await eventually(async () => {
      const v = await sut.request('GET', '/v1/journeys/batched/hot-user', { role: 'support' });
      return v.status === 200 && v.body.trace.length === 3 ? v.body : undefined;
    });
    expect(view.trace.map((t: { input: string }) => t.input)).toEqual(['event basket.opened hot-1', 'event basket.opened hot-2', 'event basket.opened hot-3']);
    const history = await handle.fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
    expect(signals).toEqual(['events']);
  });

  it('stores concurrent requests in one statement: an id in two is the first one\'s, and a journey is sent by the first that has it', async () => {
    const repo = new SignalOutboxRepository(sut.db.dataSource);
    const ev = (id: string, userId: string) => toJourneyEvent({ id, type: 'order.completed', userId, properties: {} }, new Date());
    const to = (e: ReturnType<typeof ev>) => ({ eventId: e.id, kind: 'start' as const, campaignKey: 'welcome', campaignVersion: 1, workflowId: `journey:welcome:${e.userId}` });
    const a = [ev('grp-1', 'grp-u1'), ev('grp-2', 'grp-u2')];
    const b = [ev('grp-2', 'grp-u2'), ev('grp-3', 'grp-u1'), ev('grp-4', 'grp-u3')];
    const [first, second] = await repo.storeMany([
      { events: a, deliveries: a.map(to), leaseMs: 60_000 },
      { events: b, deliveries: b.map(to), leaseMs: 60_000 },
    ]);
    expect([...first.fresh].sort()).toEqual(['grp-1', 'grp-2']);
    expect([...second.fresh].sort()).toEqual(['grp-3', 'grp-4']);
    expect(first.toSend.map((d) => d.eventId)).toEqual(['grp-1', 'grp-2']);
    // grp-3 goes to the journey the first part sends grp-1 to: it waits behind it, for the relay, due at once.
    expect(second.queued.map((d) => d.eventId)).toEqual(['grp-3', 'grp-4']);
    expect(second.toSend.map((d) => d.eventId)).toEqual(['grp-4']);
    const due = await sut.db.dataSource.query(`select event_id, next_attempt_at <= now() as due from signal_outbox where event_id like 'grp-%' order by id`);
    expect(due).toEqual([
      { event_id: 'grp-1', due: false },
      { event_id: 'grp-2', due: false },
      { event_id: 'grp-3', due: true },
      { event_id: 'grp-4', due: false },
    ]);
  });

  it('keeps a value PostgreSQL refuses with its own request when requests are stored together', async () => {
    const store = new GroupedEventStore(new SignalOutboxRepository(sut.db.dataSource));
    const part = (id: string, occurredAt = new Date().toISOString()) => ({
      events: [{ ...toJourneyEvent({ id, type: 'page.viewed', userId: 'grp-x', properties: {} }, new Date()), occurredAt }],
      deliveries: [],
      leaseMs: 60_000,
    });
    // Two go at once on their own; the next two wait and go together, one of them with a time PostgreSQL cannot take.
    const answers = await Promise.allSettled([store.store(part('alone-1')), store.store(part('alone-2')), store.store(part('bad-1', 'not a time')), store.store(part('good-1'))]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((answers[2] as PromiseRejectedResult).reason).toMatchObject({ code: '22007' });
    expect([...(answers[3] as PromiseFulfilledResult<{ fresh: Set<string> }>).value.fresh]).toEqual(['good-1']);
    const stored = await sut.db.dataSource.query(`select id from events where id in ('alone-1', 'alone-2', 'bad-1', 'good-1') order by id`);
    expect(stored.map((r: { id: string }) => r.id)).toEqual(['alone-1', 'alone-2', 'good-1']);
  });

  it('lets several relays share the outbox without sending a row twice at once', async () => {
    const repo = new SignalOutboxRepository(sut.db.dataSource);
    const events = Array.from({ length: 30 }, (_, i) => toJourneyEvent({ id: `shared-${i}`, type: 'order.completed', userId: `shared-${i}`, properties: {} }, new Date()));
    await repo.storeEvents(events, events.map((e) => ({ eventId: e.id, kind: 'start' as const, campaignKey: 'welcome', campaignVersion: 1, workflowId: `journey:welcome:${e.userId}` })), 0);
    const claims = await Promise.all([1, 2, 3].map(() => repo.claimDue(20, 60_000)));
    const ids = claims.flat().map((d) => d.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    // The app's own relay claims due rows on its 1 s timer and may have taken a few first: every row is taken, by one of them.
    const rows: Array<{ event_id: string; taken: boolean }> = await sut.db.dataSource.query(
      `select event_id, (delivered_at is not null or next_attempt_at > now()) as taken from signal_outbox where event_id like 'shared-%'`,
    );
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => !r.taken)).toEqual([]);
  });
});
