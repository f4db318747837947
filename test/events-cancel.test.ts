import { WorkflowNotFoundError } from '@temporalio/client';
import { JourneySender } from '../src/api/outbox/journey-sender';
import { DEFAULT_OUTBOX_OPTIONS } from '../src/api/outbox/outbox.options';
import { toJourneyEvent } from '../src/domain/event';
import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { cashbackCampaign } from './support/campaign-fixtures';
import { Registry } from 'prom-client';
import { RewardMetrics } from '../src/api/metrics/rewards.metrics';

const cashback = cashbackCampaign();

describe('cancelling an event: recorded once, deliveries closed, rewards reclaimed', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    await launchCampaign(sut, cashback);
  });
  afterAll(async () => sut?.stop());

  const support = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'support', body });
  const rewardsOf = (userId: string) => support('GET', `/v1/users/${encodeURIComponent(userId)}/rewards`);
  const exists = async (workflowId: string) =>
    sut.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(() => true)
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      });

  it('reclaims the reward an event caused, shows it on the event, and a second cancel is the same cancel', async () => {
    await sendEvent(sut, { id: 'ord-1', type: 'order.completed', userId: 'cancel-ann' });
    const issued = await eventually(async () => {
      const r = await rewardsOf('cancel-ann');
      return r.body.rewards?.length === 1 ? r.body : undefined;
    });
    expect(issued).toEqual({
      rewards: [expect.objectContaining({ campaign: 'cashback', kind: 'points', amount: 10, status: 'issued', causedBy: ['ord-1'] })],
      total: 1,
      balances: { points: 10, credit: {} },
    });
    expect((await support('GET', '/v1/users/cancel-ann/rewards?limit=1')).body).toEqual(issued);
    for (const limit of ['0', '1001', 'ten']) {
      const bad = await support('GET', `/v1/users/cancel-ann/rewards?limit=${limit}`);
      expect({ status: bad.status, paths: bad.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['limit'] });
    }
    // Its delivery's outcome is recorded just after the answer.
    const before = await eventually(async () => {
      const r = await support('GET', '/v1/events/ord-1');
      return r.body.deliveries?.every((d: { status: string }) => d.status !== 'pending') ? r : undefined;
    });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: 'ord-1', type: 'order.completed', userId: 'cancel-ann', cancellation: null });
    expect(before.body.deliveries).toEqual([
      expect.objectContaining({ campaign: 'cashback', version: 1, kind: 'start', workflowId: 'journey:cashback:cancel-ann', status: 'delivered', attempts: 1, deliveredAt: expect.any(String) }),
    ]);

    const first = await support('POST', '/v1/events/ord-1/cancel', { reason: 'refund 7781' });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: 'ord-1', userId: 'cancel-ann', cancelledAt: expect.any(String), reason: 'refund 7781', alreadyCancelled: false, journeys: ['journey:cashback:cancel-ann'], ended: [] });

    const after = await eventually(async () => {
      const r = await rewardsOf('cancel-ann');
      return r.body.rewards[0].status === 'reclaimed' ? r.body : undefined;
    });
    expect(after.balances).toEqual({ points: 0, credit: {} });

    const second = await support('POST', '/v1/events/ord-1/cancel', { reason: 'another reason' });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ cancelledAt: first.body.cancelledAt, reason: 'refund 7781', alreadyCancelled: true });

    const detail = await support('GET', '/v1/events/ord-1');
    expect(detail.body.cancellation).toEqual({
      cancelledAt: first.body.cancelledAt,
      reason: 'refund 7781',
      reclaimed: [expect.objectContaining({ rewardId: issued.rewards[0].id, outcome: 'reversed' })],
    });
    // Reversed once: the second cancel took nothing more.
    expect((await rewardsOf('cancel-ann')).body.balances.points).toBe(0);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from points_entries where user_id = 'cancel-ann'`);
    expect(n).toBe(2);
    // The journey saw the cancel once and ignored the second.
    const view = await support('GET', '/v1/journeys/cashback/cancel-ann');
    const cancelNotes = view.body.trace.flatMap((t: { notes: Array<{ kind: string; message: string }> }) => t.notes).filter((n: { kind: string }) => n.kind === 'cancel');
    expect(cancelNotes.map((n: { message: string }) => n.message)).toEqual(expect.arrayContaining([expect.stringMatching(/ord-1 cancelled: reclaiming/)]));
  });

  it("a journey that ended before the cancel shows its reward reclaimed, as the ledger does (ledgerStatus)", async () => {
    await sendEvent(sut, { id: 'late-1', type: 'order.completed', userId: 'cancel-late' });
    await eventually(async () => ((await rewardsOf('cancel-late')).body.rewards?.[0]?.status === 'issued' ? true : undefined));
    const journey = () => support('GET', '/v1/journeys/cashback/cancel-late');
    expect((await journey()).body.rewards).toEqual([expect.objectContaining({ status: 'issued', ledgerStatus: 'issued', causedBy: ['late-1'] })]);
    // The journey ends; the cancel then goes to the ledger alone.
    expect((await sut.request('POST', '/v1/journeys/cashback/cancel-late/exit', { role: 'operator', body: {} })).status).toBe(202);
    await eventually(async () => ((await journey()).body.temporalStatus === 'completed' ? true : undefined));
    const cancel = await support('POST', '/v1/events/late-1/cancel', { reason: 'refund after the journey' });
    expect(cancel.body).toMatchObject({ journeys: [], ended: ['journey:cashback:cancel-late'] });
    expect((await rewardsOf('cancel-late')).body.rewards[0].status).toBe('reclaimed');
    expect((await journey()).body.rewards).toEqual([expect.objectContaining({ status: 'reclaimed', ledgerStatus: 'reclaimed', causedBy: ['late-1'] })]);
  });

  it("a month-end tally: cancelling an order the branch's sum counted reclaims the reward it gave after the timer (patch aggregate-branch-causes)", async () => {
    const operator = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
    expect((await operator('POST', '/v1/pools', { key: 'tally-points', kind: 'points', budget: 1000 })).status).toBe(201);
    // The branch reads the sum as it was when the timer moved the path into `tally`: the orders of `collecting`
    // (5 s for both orders to arrive before it, on a loaded machine too).
    await launchCampaign(sut, {
      key: 'month-end-tally',
      name: 'Month-end tally',
      entry: { on: 'signup' },
      initial: 'collecting',
      states: {
        collecting: { transitions: [{ to: 'tally', after: 'PT5S' }] },
        tally: { transitions: [{ to: 'gold', if: "sum('order.completed', 'amount') >= 100" }, { to: 'done' }] },
        gold: { actions: { steps: [{ id: 'gold-points', type: 'points', amount: 500, pool: 'tally-points' }] }, end: true },
        done: { end: true },
      },
    });
    const user = 'cancel-tally';
    await sendEvent(sut, { id: 'tally-signup', type: 'signup', userId: user });
    await sendEvent(sut, { id: 'tally-ord-1', type: 'order.completed', userId: user, properties: { amount: 60 } });
    await sendEvent(sut, { id: 'tally-ord-2', type: 'order.completed', userId: user, properties: { amount: 50 } });
    // The suite's cashback campaign enters on the orders too: only the tally's reward is this test's.
    const tallyRewards = async () => ((await rewardsOf(user)).body.rewards as Array<{ id: string; campaign: string; status: string; causedBy: string[] }>).filter((r) => r.campaign === 'month-end-tally');
    const [gold] = await eventually(async () => {
      const rewards = await tallyRewards();
      return rewards.length === 1 ? rewards : undefined;
    });
    expect(gold).toEqual(expect.objectContaining({ kind: 'points', amount: 500, pool: 'tally-points', status: 'issued' }));
    // Before the patch the branch named no order: the reward recorded the signup alone.
    expect([...gold.causedBy].sort()).toEqual(['tally-ord-1', 'tally-ord-2', 'tally-signup']);
    expect((await operator('GET', '/v1/pools/tally-points')).body).toMatchObject({ used: 500, left: 500 });

    const cancel = await support('POST', '/v1/events/tally-ord-1/cancel', { reason: 'refund 60' });
    expect(cancel.status).toBe(202);
    // Running or ended by now, the tally's journey is among those the cancel names.
    expect([...cancel.body.journeys, ...cancel.body.ended]).toContain(`journey:month-end-tally:${user}`);
    const [reclaimed] = await eventually(async () => {
      const rewards = await tallyRewards();
      return rewards[0]?.status === 'reclaimed' ? rewards : undefined;
    });
    expect(reclaimed).toEqual(expect.objectContaining({ id: gold.id, status: 'reclaimed' }));
    expect((await support('GET', '/v1/events/tally-ord-1')).body.cancellation.reclaimed).toContainEqual(expect.objectContaining({ rewardId: gold.id, outcome: 'reversed' }));
    expect((await operator('GET', '/v1/pools/tally-points')).body).toMatchObject({ used: 0, left: 1000 });
  });

  it('a cancel releases a reward step of its event held for an operator: skipped with why, notIssued, the path goes on', async () => {
    // The ledger refuses the amount, so the points step is held (patch cancel-releases-held-rewards).
    const held = {
      key: 'held-then-cancelled',
      name: 'Held, then cancelled',
      entry: { on: 'order.big' },
      initial: 'rewarded',
      states: { rewarded: { actions: { steps: [{ id: 'points', type: 'points', amount: 'event.amount' }, { id: 'thanks', type: 'message', channel: 'push', template: 'thanks' }] }, end: true } },
    };
    await launchCampaign(sut, held);
    const operator = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
    await sendEvent(sut, { id: 'big-1', type: 'order.big', userId: 'cancel-hal', properties: { amount: 1e300 } });
    const journey = () => operator('GET', '/v1/journeys/held-then-cancelled/cancel-hal');
    await eventually(async () => ((await journey()).body.held?.length === 1 ? true : undefined));
    expect((await support('POST', '/v1/events/big-1/cancel', { reason: 'refund' })).status).toBe(202);
    const after = await eventually(async () => {
      const res = await journey();
      return res.body.status === 'ended' ? res.body : undefined;
    });
    expect(after.held).toEqual([]);
    expect(after.rewards).toEqual([expect.objectContaining({ stepId: 'points', status: 'notIssued' })]);
    const notes = after.trace.flatMap((t: { notes: Array<{ message: string }> }) => t.notes.map((n) => n.message));
    expect(notes).toContainEqual(expect.stringMatching(/^points skipped \{"stopped":"its causing event big-1 was cancelled"\}/));
    expect((await support('GET', '/v1/held-steps')).body.held.filter((h: { user: string }) => h.user === 'cancel-hal')).toEqual([]);
    expect((await rewardsOf('cancel-hal')).body.total).toBe(0);
  });

  it('an entry on an idle journey is decided on the profile as stored now, not one read a minute earlier', async () => {
    const vip = { key: 'vip-only', name: 'VIPs only', audience: 'user.level >= 2', entry: { on: 'app.opened' }, initial: 'done', states: { done: { end: true } } };
    await launchCampaign(sut, vip);
    const user = 'profile-fresh';
    const operator = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
    expect((await sut.request('PUT', `/v1/users/${user}`, { role: 'ingest', body: { attributes: { level: 1 } } })).status).toBe(200);
    await sendEvent(sut, { id: 'open-1', type: 'app.opened', userId: user });
    await eventually(async () => ((await operator('GET', `/v1/journeys/vip-only/${user}`)).body.trace?.some((t: { input: string }) => t.input.includes('open-1')) ? true : undefined));
    expect((await operator('GET', `/v1/journeys/vip-only/${user}`)).body.entries).toBe(0);
    // Seconds later, well within the minute a profile used to be kept.
    expect((await sut.request('PUT', `/v1/users/${user}`, { role: 'ingest', body: { attributes: { level: 2 } } })).status).toBe(200);
    await sendEvent(sut, { id: 'open-2', type: 'app.opened', userId: user });
    const entered = await eventually(async () => {
      const res = await operator('GET', `/v1/journeys/vip-only/${user}`);
      return res.body.trace?.some((t: { input: string }) => t.input.includes('open-2')) ? res.body : undefined;
    });
    expect(entered.entries).toBe(1);
  });

  /**
   * A cancel whose reclaim of `key` PostgreSQL stops: the key's lock is held elsewhere, and the waiting statement is
   * cancelled as DATABASE_STATEMENT_TIMEOUT_MS would (the same SQLSTATE 57014), without waiting for it.
   */
  const cancelStoppedByPostgres = async (eventId: string, key: string) => {
    const holder = sut.db.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      const [{ pid }]: Array<{ pid: number }> = await holder.query(`select pg_backend_pid() as pid`);
      await holder.query(`select pg_advisory_xact_lock(hashtextextended('kairos.reward:' || $1, 0))`, [key]);
      const cancelling = support('POST', `/v1/events/${eventId}/cancel`, { reason: 'refund' });
      await eventually(async () => {
        const [{ n }]: Array<{ n: number }> = await sut.db.dataSource.query(
          `select count(pg_cancel_backend(pid))::int as n from pg_stat_activity
            where datname = current_database() and pid <> $1 and wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'`,
          [pid],
        );
        return n > 0 ? true : undefined;
      });
      return await cancelling;
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  };
  const unfinishedSince = async (eventId: string) =>
    ((await sut.db.dataSource.query(`select cancel_unfinished_since from events where id = $1`, [eventId]))[0] as { cancel_unfinished_since: Date | null }).cancel_unfinished_since;

  it('a ledger pass PostgreSQL stops answers 503 postgres_timeout, naming PostgreSQL rather than Temporal; the cancel is kept, and repeating it finishes it', async () => {
    await sendEvent(sut, { id: 'stuck-1', type: 'order.completed', userId: 'cancel-stuck' });
    await eventually(async () => ((await rewardsOf('cancel-stuck')).body.rewards?.[0]?.status === 'issued' ? true : undefined));
    const [{ key }]: Array<{ key: string }> = await sut.db.dataSource.query(`select idempotency_key as key from rewards where user_id = 'cancel-stuck'`);
    const stopped = await cancelStoppedByPostgres('stuck-1', key);
    expect({ status: stopped.status, code: stopped.body.error.code, retryAfter: stopped.headers.get('retry-after') }).toEqual({ status: 503, code: 'postgres_timeout', retryAfter: '5' });
    expect(stopped.body.error.message).toMatch(/^Event stuck-1 is cancelled and kept as unfinished, but PostgreSQL stopped a statement/);
    const again = await support('POST', '/v1/events/stuck-1/cancel', { reason: 'refund' });
    expect({ status: again.status, alreadyCancelled: again.body.alreadyCancelled }).toEqual({ status: 202, alreadyCancelled: true });
    expect((await rewardsOf('cancel-stuck')).body.rewards[0].status).toBe('reclaimed');
  });

  it('a repeat of a finished cancel whose ledger pass PostgreSQL stops is kept unfinished, as its 503 says, and Kairos finishes it', async () => {
    await sendEvent(sut, { id: 'stuck-2', type: 'order.completed', userId: 'cancel-stuck-2' });
    await eventually(async () => ((await rewardsOf('cancel-stuck-2')).body.rewards?.[0]?.status === 'issued' ? true : undefined));
    expect((await support('POST', '/v1/events/stuck-2/cancel', { reason: 'refund' })).status).toBe(202);
    expect(await unfinishedSince('stuck-2')).toBeNull();
    // A reward the ledger holds for the event since (as a journey's late reward activity would write it): the repeat's pass finds it.
    const late = 'late:stuck-2';
    await sut.kairos.repositories.rewards.issueAlone({
      idempotencyKey: late,
      campaignKey: 'cashback',
      campaignVersion: 1,
      userId: 'cancel-stuck-2',
      stepId: 'late',
      causedBy: ['stuck-2'],
      action: { type: 'points', amount: 5, pool: null },
    });
    const stopped = await cancelStoppedByPostgres('stuck-2', late);
    expect({ status: stopped.status, code: stopped.body.error.code }).toEqual({ status: 503, code: 'postgres_timeout' });
    expect(stopped.body.error.message).toContain('Kairos finishes it by itself once it can');
    expect(await unfinishedSince('stuck-2')).not.toBeNull();
    // The finisher takes it up once the request's time has passed; brought forward so as not to wait for it.
    await sut.db.dataSource.query(`update events set cancel_retry_at = now() where id = 'stuck-2'`);
    await eventually(async () => ((await unfinishedSince('stuck-2')) === null ? true : undefined));
    const statuses: Array<{ status: string }> = await sut.db.dataSource.query(`select status from rewards where idempotency_key = $1`, [late]);
    expect(statuses).toEqual([{ status: 'reclaimed' }]);
  });

  it('answers 404 for an unknown event and 400 with the path for a cancel without reason', async () => {
    const unknown = await support('POST', '/v1/events/nope/cancel', { reason: 'x' });
    expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await support('GET', '/v1/events/nope')).status).toBe(404);
    await sendEvent(sut, { id: 'ord-noreason', type: 'order.completed', userId: 'bea' });
    const bad = await support('POST', '/v1/events/ord-noreason/cancel', { reason: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['extra', 'reason']);
    // Spaces say no more than nothing: the trace would read "cancelled by support ( )".
    const blank = await support('POST', '/v1/events/ord-noreason/cancel', { reason: '   ' });
    expect({ status: blank.status, details: blank.body.error.details }).toEqual({ status: 400, details: [{ path: 'reason', message: 'a reason says why: it may not be only spaces' }] });
    expect((await support('GET', '/v1/events/ord-noreason')).body.cancellation).toBeNull();
  });

  it('never sends an event cancelled while still queued: no journey starts, nothing is issued', async () => {
    const outbox = new SignalOutboxRepository(sut.db.dataSource);
    const event = toJourneyEvent({ id: 'queued-1', type: 'order.completed', userId: 'cid', properties: {} }, new Date());
    // Stored with a lease, as while the accepting request is still sending; the relay leaves it alone meanwhile.
    await outbox.storeEvents([event], [{ eventId: 'queued-1', kind: 'start', campaignKey: 'cashback', campaignVersion: 1, workflowId: 'journey:cashback:cid' }], 60_000);
    const cancel = await support('POST', '/v1/events/queued-1/cancel', { reason: 'fraud' });
    expect(cancel.status).toBe(202);
    expect(cancel.body).toMatchObject({ journeys: [], ended: ['journey:cashback:cid'] });
    // Even once its lease would have run out, the relay does not send it.
    await sut.db.dataSource.query(`update signal_outbox set next_attempt_at = now() where event_id = 'queued-1'`);
    await new Promise((r) => setTimeout(r, 3 * DEFAULT_OUTBOX_OPTIONS.relayIntervalMs));
    expect(await exists('journey:cashback:cid')).toBe(false);
    const detail = await support('GET', '/v1/events/queued-1');
    expect(detail.body.deliveries).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 0, deliveredAt: null })]);
    expect(detail.body.cancellation).toMatchObject({ reason: 'fraud', reclaimed: [] });
    expect((await rewardsOf('cid')).body).toEqual({ rewards: [], total: 0, balances: { points: 0, credit: {} } });
  });

  it('a send in flight when the cancel lands is followed by the cancel: the journey it started gives the reward back', async () => {
    const outbox = new SignalOutboxRepository(sut.db.dataSource);
    const event = toJourneyEvent({ id: 'inflight-1', type: 'order.completed', userId: 'dan', properties: {} }, new Date());
    const { queued } = await outbox.storeEvents(
      [event],
      [{ eventId: 'inflight-1', kind: 'start', campaignKey: 'cashback', campaignVersion: 1, workflowId: 'journey:cashback:dan' }],
      60_000,
    );
    // The cancel finds no journey yet (the send has not reached Temporal)...
    const cancel = await support('POST', '/v1/events/inflight-1/cancel', { reason: 'refund' });
    expect(cancel.body).toMatchObject({ journeys: [], ended: ['journey:cashback:dan'] });
    // ...then the send that was already under way arrives and starts the journey with the event.
    const sender = new JourneySender(sut.kairos.journeys, DEFAULT_OUTBOX_OPTIONS, outbox, sut.kairos.repositories.rewards, sut.kairos.repositories.rewardCauses, sut.kairos.repositories.eventCancellations, new RewardMetrics(new Registry()));
    const outcomes = await sender.send(queued);
    expect([...outcomes.values()]).toEqual([{ id: queued[0].id, outcome: 'delivered', claim: 0 }]);
    expect(await exists('journey:cashback:dan')).toBe(true);
    // The sender saw the row closed by the cancel and told the journey: whatever it issued is taken back.
    const view = await eventually(async () => {
      const v = await support('GET', '/v1/journeys/cashback/dan');
      return v.status === 200 && v.body.rewards.length === 1 && v.body.rewards[0].status === 'reclaimed' ? v.body : undefined;
    });
    expect(view.rewards[0].causedBy).toEqual(['inflight-1']);
    const rewards = await eventually(async () => {
      const r = await rewardsOf('dan');
      return r.body.rewards.every((x: { status: string }) => x.status === 'reclaimed') ? r.body : undefined;
    });
    expect(rewards.balances.points).toBe(0);
    // The record says what happened: delivered (the journey took the event), and the event cancelled.
    const detail = (await support('GET', '/v1/events/inflight-1')).body;
    expect(detail.deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    expect(detail.cancellation).toMatchObject({ reason: 'refund' });
    // Whoever reclaimed it first, the journey or the cancel's own pass over the ledger, the reason is the cancel's.
    expect(detail.cancellation.reclaimed).toEqual([expect.objectContaining({ reason: 'refund' })]);
  });
});
