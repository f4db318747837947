import type { DataSource } from 'typeorm';
import type { JourneyEvent } from '../../domain/event';
import { journeyIdOf, MAX_WORKFLOW_ID_CHARS } from '../../temporal/journey-id';
import { PreparedStatement } from '../prepared-statement';

/** One event for one journey, as the events service plans it. */
export interface PlannedDelivery {
  eventId: string;
  kind: 'start' | 'signal';
  campaignKey: string;
  campaignVersion: number;
  workflowId: string;
}

/** What is still to be sent, how long the oldest of it has waited (seconds), and how many deliveries Temporal refused for good. */
export interface OutboxBacklog {
  pending: number;
  oldestSeconds: number;
  dead: number;
  /** Of those, the ones closed as dead within the last hour: what the alert reads (retention's pruning never lowers it). */
  deadLastHour: number;
}

/** A row of signal_outbox: a delivery still to be acknowledged by Temporal (or just sent). */
export interface OutboxDelivery extends PlannedDelivery {
  id: number;
  userId: string;
  event: JourneyEvent;
  /** Attempts finished before this one, whatever they came to (the backoff grows with them). */
  attempts: number;
  /**
   * Of those, the ones Temporal refused for good (the payload itself, see
   * SendResult's `refused`): only these count toward closing it as `dead`.
   */
  refusals: number;
  /** The HTTP request that accepted the event (X-Request-Id), when known. */
  requestId: string | null;
  /** How many times the row had been claimed when it was handed out (0: stored and sent by its request). */
  claim: number;
}

/**
 * What one send attempt came to: acknowledged (`delivered`, `not-running`),
 * refused for good (`dead`, with the reason), or to retry after `retryInMs`.
 */
export type SendResult =
  | { id: number; outcome: 'delivered' | 'not-running' }
  | { id: number; outcome: 'dead'; reason: string }
  /**
   * `unreachable`: Temporal could not be reached (or did not answer in time); the row is made due early when an outage ends.
   * `blocked`: not tried, held back behind a failed delivery of its journey: no attempt is counted.
   * `refused`: Temporal refused the payload for good, too few times yet to close the delivery: a refusal is counted.
   */
  | { id: number; error: string; retryInMs: number; unreachable?: boolean; blocked?: true; refused?: true }
  /** Not tried: the sender's lease on the journey ran short, or another call of the send found Temporal out of reach; the relay takes it at once, no attempt counted. */
  | { id: number; deferred: true };

/**
 * A send's result with the row's `claim` when it was sent (OutboxDelivery).
 * A retry time or a deferral is recorded only while the row is still under
 * that claim; a closing outcome is recorded whatever the claim (the journey
 * answered). Required, so that no caller skips the check by leaving it out
 * (only instances from before `claims` send records without one).
 */
export type SendOutcome = SendResult & { claim: number };

/** One delivery as support sees it: `pending` until acknowledged, `cancelled` when its event was cancelled before it went out. */
export interface EventDelivery {
  campaign: string;
  version: number;
  kind: 'start' | 'signal';
  workflowId: string;
  status: 'pending' | 'delivered' | 'not-running' | 'cancelled' | 'dead';
  attempts: number;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
}

/** A signal_outbox row as a query reads it (the bigserial id comes as text). */
interface SignalOutboxRow {
  id: string;
  event_id: string;
  kind: 'start' | 'signal';
  campaign_key: string;
  campaign_version: number;
  user_id: string;
  workflow_id: string;
  /** The JourneyEvent, as storeMany wrote it. */
  payload: JourneyEvent;
  attempts: number;
  refusals: number;
  request_id: string | null;
  claims: number;
}

/**
 * The id a delivery's journey has now, from the id stored on its row. A row
 * queued before journey ids were cut to MAX_WORKFLOW_ID_CHARS (e22d8492)
 * holds the uncut id, which Temporal on PostgreSQL or MySQL never takes: its
 * start failed on every try, read as Temporal being away, and the row was
 * retried for good. Such a row is sent, and its event's cancel told, under
 * the id journeyIdOf gives the journey now; any other row under its own.
 */
export function journeyIdNow(stored: string, campaignKey: string, userId: string): string {
  return [...stored].length > MAX_WORKFLOW_ID_CHARS ? journeyIdOf(campaignKey, userId) : stored;
}

function toDelivery(r: SignalOutboxRow): OutboxDelivery {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    kind: r.kind,
    campaignKey: r.campaign_key,
    campaignVersion: r.campaign_version,
    userId: r.user_id,
    workflowId: journeyIdNow(r.workflow_id, r.campaign_key, r.user_id),
    event: r.payload,
    attempts: r.attempts,
    refusals: r.refusals,
    requestId: r.request_id ?? null,
    claim: r.claims,
  };
}

/** One caller's part of storeMany: its events, their deliveries, how long it keeps the rows it sends itself. */
export interface StoreRequest {
  events: readonly JourneyEvent[];
  deliveries: readonly PlannedDelivery[];
  /** 0: the caller sends nothing; its rows are the relay's at once. */
  leaseMs: number;
  /** Rows the caller knows were delivered but whose outcome is not written yet (OutcomeRecorder). */
  closed?: readonly number[];
}

/** What a caller's part came to: its new event ids, its queued rows, and the ones it is to send itself. */
export interface StoredEvents {
  fresh: Set<string>;
  queued: OutboxDelivery[];
  toSend: OutboxDelivery[];
}

/**
 * What the store statement answers: the new event ids, and the queued
 * rows as [id, event id, campaign key] (the caller has the rest of each row,
 * so it does not come back from PostgreSQL).
 */
interface StoredEventsRow {
  fresh: string[];
  queued: Array<[id: number, eventId: string, campaignKey: string]>;
  /** Workflow ids that already had an undelivered row. */
  behind: string[];
}

/** A delivery as GET /v1/events/:id reads it. */
interface EventDeliveryRow {
  campaign_key: string;
  campaign_version: number;
  kind: 'start' | 'signal';
  workflow_id: string;
  attempts: number;
  delivered_at: Date | null;
  outcome: 'delivered' | 'not-running' | 'cancelled' | 'dead' | null;
  last_error: string | null;
  next_attempt_at: Date;
}

function toEventDelivery(r: EventDeliveryRow): EventDelivery {
  return {
    campaign: r.campaign_key,
    version: r.campaign_version,
    kind: r.kind,
    workflowId: r.workflow_id,
    status: r.outcome ?? 'pending',
    attempts: r.attempts,
    // A cancelled or dead row was closed, not delivered.
    deliveredAt: r.delivered_at && r.outcome !== 'cancelled' && r.outcome !== 'dead' ? r.delivered_at.toISOString() : null,
    nextAttemptAt: r.delivered_at ? null : r.next_attempt_at.toISOString(),
    lastError: r.last_error ?? null,
  };
}

interface CancelledDeliveryRow {
  event_id: string;
  workflow_id: string;
  campaign_key: string;
  user_id: string;
  cancel_reason: string | null;
}

/** A delivery sent successfully whose event is cancelled: what sending its cancel again needs. */
export interface SentButCancelled {
  eventId: string;
  workflowId: string;
  reason: string | null;
}

interface BacklogRow {
  n: number;
  age: number;
  dead: number;
  dead_last_hour: number;
}

/**
 * In one statement (one round trip, one transaction): the events, skipping
 * ids already stored, and the deliveries of the new ones (storeMany).
 */
const STORE_EVENTS = new PreparedStatement<StoredEventsRow>(
  'kairos_store_events',
  `with input as (
     select * from jsonb_to_recordset($1::jsonb) as e(id text, type text, user_id text, occurred_at timestamptz, properties jsonb, payload jsonb)
   ), fresh as (
     insert into events (id, type, user_id, occurred_at, properties)
     select id, type, user_id, occurred_at, properties from input
     on conflict (id) do nothing
     returning id
   ), planned as (
     select d.*, min(d.req) over (partition by d.workflow_id) as first_req
       from jsonb_to_recordset($2::jsonb) as d(seq int, req int, event_id text, kind text, campaign_key text, campaign_version int, workflow_id text, lease_ms int)
       join fresh f on f.id = d.event_id
   ), behind as (
     -- Journeys that already have an undelivered row: what is queued now waits behind it.
     -- One index probe per journey (the lateral LIMIT keeps the planner from scanning every
     -- undelivered row, which under load includes the dead versions of rows just delivered).
     select w.workflow_id
       from (select distinct workflow_id from planned) w
       cross join lateral (
         select 1 from signal_outbox p
          where p.workflow_id = w.workflow_id and p.delivered_at is null and p.id <> all($3::bigint[])
          limit 1) older
   ), queued as (
     insert into signal_outbox (event_id, kind, campaign_key, campaign_version, user_id, workflow_id, payload, next_attempt_at, request_id)
     select d.event_id, d.kind, d.campaign_key, d.campaign_version, i.user_id, d.workflow_id, i.payload,
            case when b.workflow_id is null and d.req = d.first_req then now() + d.lease_ms * interval '1 millisecond' else now() end, i.payload->>'requestId'
       from planned d
       join input i on i.id = d.event_id
       left join behind b on b.workflow_id = d.workflow_id
      order by d.seq
     on conflict (event_id, campaign_key) do nothing
     returning id, event_id, campaign_key
   )
   select (select coalesce(jsonb_agg(id), '[]'::jsonb) from fresh) as fresh,
          (select coalesce(jsonb_agg(jsonb_build_array(q.id, q.event_id, q.campaign_key) order by q.id), '[]'::jsonb) from queued q) as queued,
          (select coalesce(jsonb_agg(workflow_id), '[]'::jsonb) from behind) as behind`,
);

/** Payload bytes one relay claim reads at most (claimDue). */
export const CLAIM_BYTES = 32 * 1024 * 1024;

/**
 * Outcomes of send attempts (record), committed without waiting for the WAL
 * flush. A retry time or a deferral is written only under the claim the row
 * was sent under: one that arrives after its lease ran out and another
 * instance claimed the journey would otherwise shorten that instance's lease
 * (and let a third send the journey beside it). A record without a claim (an
 * instance from before `claims`) is written as before. `refusals` counts the
 * attempts Temporal refused for good (a retried refusal, and the one that
 * closes a delivery as dead), none else: they alone make a delivery dead.
 * A failed send of a row the cancel closed while it was under way stays
 * closed, but counts its attempt and says so in `last_error` (unconfirmed):
 * Temporal may have taken it (a call that timed out here), and GET
 * /v1/events/:id must not read as if it never went out. Its lease
 * (`next_attempt_at`) is left as it is: the cancel goes by it (finished).
 */
const RECORD_OUTCOMES = new PreparedStatement<{ id: string }>(
  'kairos_record_outcomes',
  `with lazy_commit as (select set_config('synchronous_commit', 'off', true)),
   unconfirmed as (
     update signal_outbox o set attempts = o.attempts + 1, last_error = 'sent as the cancel came; Temporal did not confirm it: ' || r.error
       from jsonb_to_recordset($1::jsonb) as r(id bigint, outcome text, error text, deferred boolean, blocked boolean, claim int)
      where o.id = r.id and o.outcome = 'cancelled' and r.outcome is null and r.error is not null and r.deferred is not true and r.blocked is not true
        and (r.claim is null or o.claims = r.claim)
     returning o.id)
   update signal_outbox o set
      attempts = o.attempts + case when r.deferred or r.blocked then 0 else 1 end,
      refusals = o.refusals + case when r.refused or r.outcome = 'dead' then 1 else 0 end,
      delivered_at = case when r.outcome is not null then now() end,
      outcome = r.outcome,
      last_error = case when r.deferred then o.last_error else r.error end,
      next_attempt_at = case when r.deferred then now()
                             when r.outcome is null then now() + r.retry_in_ms * interval '1 millisecond'
                             else o.next_attempt_at end,
      awaiting_temporal = coalesce(r.unreachable, false),
      -- The backoff's end, as next_attempt_at gets it above (now() is the statement's): a claim moves one and not the other.
      awaiting_temporal_until = case when r.unreachable and r.outcome is null and r.deferred is not true then now() + r.retry_in_ms * interval '1 millisecond' end
     from jsonb_to_recordset($1::jsonb) as r(id bigint, outcome text, error text, retry_in_ms int, deferred boolean, unreachable boolean, blocked boolean, refused boolean, claim int), lazy_commit
    where o.id = r.id and o.delivered_at is null and (r.outcome is not null or r.claim is null or o.claims = r.claim)
    returning o.id`,
);

/**
 * The events table and the signal outbox, written together: an accepted event
 * always has its deliveries recorded, so a 2xx is never lost while Temporal
 * is down. The relay claims due rows with FOR UPDATE SKIP LOCKED so that any
 * number of API instances share the work without sending a row twice at once.
 */
export class SignalOutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * In one statement (one round trip, one transaction): inserts the events,
   * skipping ids already stored, and queues the deliveries of the new ones
   * only, so a resent id reaches no journey again. A queued row whose
   * journey has no older undelivered row is left to the caller for `leaseMs`
   * (`toSend`; the relay leaves it alone meanwhile); one queued behind an older
   * row is the relay's at once, so it can never overtake that row.
   * `closed`: rows the caller knows were delivered but whose outcome is not
   * written yet (OutcomeRecorder); they are not in the way.
   */
  async storeEvents(events: readonly JourneyEvent[], deliveries: readonly PlannedDelivery[], leaseMs: number, closed: readonly number[] = []): Promise<StoredEvents> {
    return (await this.storeMany([{ events, deliveries, leaseMs, closed }]))[0];
  }

  /**
   * storeEvents for several callers (concurrent requests) in one statement
   * and one transaction, each answered for its own part. An id in two parts
   * is the first one's (the later part sees it as a duplicate). Within the
   * statement, a journey's rows are sent by the first part that has any; a
   * later part's rows for it are queued behind them, for the relay.
   */
  async storeMany(parts: readonly StoreRequest[]): Promise<StoredEvents[]> {
    const owner = new Map<string, number>();
    const input: Array<{ id: string; type: string; user_id: string; occurred_at: string; properties: unknown; payload: JourneyEvent }> = [];
    parts.forEach((part, req) => {
      for (const e of part.events) {
        if (owner.has(e.id)) continue;
        owner.set(e.id, req);
        input.push({ id: e.id, type: e.type, user_id: e.userId, occurred_at: e.occurredAt, properties: e.properties, payload: e });
      }
    });
    if (input.length === 0) return parts.map(() => ({ fresh: new Set(), queued: [], toSend: [] }));
    // Only the deliveries of the part that owns their event; the statement answers each inserted one by (event, campaign).
    const owned = parts.flatMap((part, req) => part.deliveries.filter((d) => owner.get(d.eventId) === req).map((d) => ({ req, d, leaseMs: part.leaseMs })));
    const planned = owned.map(({ req, d, leaseMs }, seq) => ({
      seq,
      req,
      event_id: d.eventId,
      kind: d.kind,
      campaign_key: d.campaignKey,
      campaign_version: d.campaignVersion,
      workflow_id: d.workflowId,
      lease_ms: leaseMs,
    }));
    const [row] = await STORE_EVENTS.run(this.ds, [JSON.stringify(input), JSON.stringify(planned), parts.flatMap((p) => p.closed ?? [])]);
    const fresh = new Set(row.fresh);
    const behind = new Set(row.behind);
    const eventById = new Map(input.map((i) => [i.id, i.payload]));
    const plannedByKey = new Map(owned.map(({ d }) => [`${d.campaignKey}\u0000${d.eventId}`, d]));
    const queued = row.queued.map(([id, eventId, campaignKey]): OutboxDelivery => {
      const { kind, campaignVersion, workflowId } = plannedByKey.get(`${campaignKey}\u0000${eventId}`)!;
      const event = eventById.get(eventId)!;
      return { id, eventId, kind, campaignKey, campaignVersion, workflowId, userId: event.userId, event, attempts: 0, refusals: 0, requestId: event.requestId ?? null, claim: 0 };
    });
    // In one pass: the part that sends each journey's rows (the first that queued any, as the statement
    // leased them), and each part's own rows (filtering all rows for each part cost parts x rows under load).
    const sender = new Map<string, number>();
    const byPart = new Map<number, OutboxDelivery[]>();
    for (const d of queued) {
      const req = owner.get(d.eventId)!;
      sender.set(d.workflowId, Math.min(req, sender.get(d.workflowId) ?? req));
      const list = byPart.get(req);
      if (list) list.push(d);
      else byPart.set(req, [d]);
    }
    return parts.map((part, req) => {
      const own = byPart.get(req) ?? [];
      return {
        fresh: new Set(part.events.filter((e) => owner.get(e.id) === req && fresh.has(e.id)).map((e) => e.id)),
        queued: own,
        toSend: part.leaseMs > 0 ? own.filter((d) => !behind.has(d.workflowId) && sender.get(d.workflowId) === req) : [],
      };
    });
  }

  /**
   * Claims due journeys for `leaseMs`: a journey is due when its OLDEST
   * undelivered row is, and it is claimed whole (that row and up to
   * `perJourney` rows behind it, in order), so its deliveries never overtake
   * one another and two instances never send to one journey at once. The
   * lease (on every claimed row, each of whose `claims` goes up) keeps every
   * other claimer off the journey: the rows behind the oldest are not the
   * oldest, and it is not due.
   * Locked oldest rows are skipped; a locked row re-checked after another
   * claim committed is no longer due, so it is skipped too. The rows claimed
   * weigh at most `maxBytes` of payload together (the first always comes):
   * after an outage a backlog of busy journeys with large events would
   * otherwise be read into one process at once. A journey cut short keeps
   * its order: the rest of its rows wait behind the ones claimed. A row
   * behind the oldest that a cancel closed while this claim waited for its
   * lock is not claimed: the update re-checks `delivered_at` on the row the
   * cancel committed (members was read before it).
   * The lease runs from when the update reaches each row (clock_timestamp()),
   * not from when the statement started (now()): a claim slowed by a long
   * scan would otherwise hand its rows out with little or none of the lease
   * left, and the relay, which counts it from when the rows come back, could
   * send past it.
   */
  async claimDue(journeys: number, leaseMs: number, perJourney = 1_000, maxBytes = CLAIM_BYTES): Promise<OutboxDelivery[]> {
    return (await this.claimDueLeased(journeys, leaseMs, perJourney, maxBytes)).rows;
  }

  /**
   * claimDue, with how much of the lease was left once the whole update was
   * done (`leaseLeftMs`, of the row leased first): a claim whose update took
   * long (a large claim, or one that waited for a member row's lock) hands
   * its rows out with that much less, and the relay must not count the full
   * lease from when they come back. 0 when nothing was claimed.
   */
  async claimDueLeased(journeys: number, leaseMs: number, perJourney = 1_000, maxBytes = CLAIM_BYTES): Promise<{ rows: OutboxDelivery[]; leaseLeftMs: number }> {
    const rows: Array<SignalOutboxRow & { lease_left_ms: number }> = await this.ds.query(
      // In a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
      `with heads as (
         select o.id, o.workflow_id, o.next_attempt_at from signal_outbox o
          where o.delivered_at is null and o.next_attempt_at <= now()
            and not exists (select 1 from signal_outbox p where p.workflow_id = o.workflow_id and p.delivered_at is null and p.id < o.id)
          order by o.next_attempt_at, o.id
          limit $1
          for update skip locked
       ), members as (
         select r.id, sum(r.bytes) over (order by h.next_attempt_at, h.id, r.id) - r.bytes as before from heads h
          cross join lateral (
            select o.id, octet_length(o.payload::text) as bytes from signal_outbox o
             where o.workflow_id = h.workflow_id and o.delivered_at is null and o.id >= h.id
             order by o.id
             limit $3) r
       ), claimed as (
         update signal_outbox o set next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond', claims = o.claims + 1, awaiting_temporal = false, awaiting_temporal_until = null
          where o.id in (select id from members where before < $4) and o.delivered_at is null
         returning o.*)
       -- Read in the aggregate's projection: clock_timestamp() is taken once every row has been updated.
       select c.*, (select extract(epoch from min(next_attempt_at) - clock_timestamp()) * 1000 from claimed)::float8 as lease_left_ms from claimed c`,
      [journeys, leaseMs, perJourney, maxBytes],
    );
    return { rows: rows.map(toDelivery).sort((a, b) => a.id - b.id), leaseLeftMs: rows.length > 0 ? Math.max(0, Number(rows[0].lease_left_ms)) : 0 };
  }

  /**
   * Of these rows, the ones closed (delivered_at set: their event was
   * cancelled, or a sender recorded them), for a sender about to send them
   * late in its send.
   */
  async closedAmong(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string | number }> = await this.ds.query(`select id from signal_outbox where id = any($1::bigint[]) and delivered_at is not null`, [ids]);
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Temporal answers again: rows whose last send failed because it could not
   * be reached are due now, not when their backoff ends. A row being sent
   * (claimed, leased) is not touched: its claim cleared the mark and moved
   * `next_attempt_at` off the backoff's end (an instance from before the mark
   * only does the latter). Returns how many were made due.
   */
  async rouseAwaitingTemporal(): Promise<number> {
    const rows: unknown[] = await this.ds.query(
      `with roused as (
         update signal_outbox set next_attempt_at = now(), awaiting_temporal = false, awaiting_temporal_until = null
          where awaiting_temporal and delivered_at is null and next_attempt_at = awaiting_temporal_until
         returning 1)
       select 1 from roused`,
    );
    return rows.length;
  }

  /**
   * Records what the attempts came to, in one statement. Returns the ids of
   * rows sent successfully that were closed meanwhile (their event was
   * cancelled while the send was in flight, or another sender recorded them):
   * the sender then makes sure the cancel reaches the journey after the event.
   *
   * Committed without waiting for the WAL flush (synchronous_commit off for
   * this statement's transaction only): a record lost in a PostgreSQL crash
   * leaves its row leased, and the relay sends it again, which journeys ignore.
   */
  async record(outcomes: readonly SendOutcome[]): Promise<number[]> {
    if (outcomes.length === 0) return [];
    const rows = await RECORD_OUTCOMES.run(this.ds, [
      JSON.stringify(
        outcomes.map((o) =>
          'deferred' in o
            ? { id: o.id, deferred: true, claim: o.claim }
            : 'error' in o
              ? { id: o.id, error: o.error.slice(0, 2000), retry_in_ms: o.retryInMs, unreachable: o.unreachable === true, blocked: o.blocked === true, refused: o.refused === true, claim: o.claim }
              : { id: o.id, outcome: o.outcome, error: o.outcome === 'dead' ? o.reason.slice(0, 2000) : null },
        ),
      ),
    ]);
    const recorded = new Set(rows.map((r) => Number(r.id)));
    return outcomes.filter((o) => 'outcome' in o && o.outcome === 'delivered' && !recorded.has(o.id)).map((o) => o.id);
  }

  /**
   * Of these rows, all sent successfully, the ones whose event is cancelled,
   * with what the cancel needs to be sent again. A row the cancel closed while
   * its send was in flight is recorded as what it was, delivered: the journey
   * took the event (and the cancel after it), and the record must not say it
   * never did.
   *
   * In the same transaction its event's cancel is made unfinished again and
   * its late deliveries counted (`events.cancel_late_deliveries`): the
   * cancel's own signal may have found no journey, and until every journey
   * the event was routed to has been told again only PostgreSQL can say so.
   * Were the flip alone committed, the cancel request's `finished` would find
   * no closed row left and finish the cancel, and a crash before the cancel
   * went again would leave the journey with the event for good; the count
   * keeps any teller that read it before from finishing the cancel. The
   * caller tells the journeys of these rows at once; `retellLeaseMs` holds
   * the finisher off that long (never less than it was left to someone
   * already), after which it tells every journey of the event and finishes
   * the cancel. The rows returned are these ids' only, never the event's
   * other journeys: the caller does not finish the cancel.
   */
  async sentButCancelled(ids: readonly number[], retellLeaseMs: number): Promise<SentButCancelled[]> {
    if (ids.length === 0) return [];
    return this.ds.transaction(async (tx) => {
      // The events first, in id order, as a cancel takes its event's lock before its deliveries': the two never
      // wait on each other crosswise, and a cancel of the event committed before this reads its deliveries.
      await tx.query(
        `select e.id from events e
          where e.id in (select event_id from signal_outbox where id = any($1::bigint[])) and e.cancelled_at is not null
          order by e.id for update of e`,
        [ids],
      );
      // Wrapped in a select, as every update read back here: TypeORM answers a bare UPDATE with [rows, count].
      const late: Array<{ event_id: string }> = await tx.query(
        `with sent as (
           update signal_outbox set outcome = 'delivered', attempts = attempts + 1
            where id = any($1::bigint[]) and outcome = 'cancelled'
           returning event_id)
         select distinct event_id from sent`,
        [ids],
      );
      if (late.length > 0) {
        await tx.query(
          `update events set cancel_late_deliveries = cancel_late_deliveries + 1,
                  cancel_unfinished_since = coalesce(cancel_unfinished_since, now()),
                  cancel_retry_at = greatest(cancel_retry_at, now() + $2 * interval '1 millisecond')
            where id = any($1::text[])`,
          [late.map((r) => r.event_id), retellLeaseMs],
        );
      }
      const rows: CancelledDeliveryRow[] = await tx.query(
        `select o.event_id, o.workflow_id, o.campaign_key, o.user_id, e.cancel_reason
           from signal_outbox o join events e on e.id = o.event_id
          where o.id = any($1::bigint[]) and e.cancelled_at is not null
          order by o.id`,
        [ids],
      );
      return rows.map((r) => ({ eventId: r.event_id, workflowId: journeyIdNow(r.workflow_id, r.campaign_key, r.user_id), reason: r.cancel_reason ?? null }));
    });
  }

  /** Every delivery of one event, for GET /v1/events/:id. */
  async forEvent(eventId: string): Promise<EventDelivery[]> {
    const rows: EventDeliveryRow[] = await this.ds.query(
      `select campaign_key, campaign_version, kind, workflow_id, attempts, delivered_at, outcome, last_error, next_attempt_at
         from signal_outbox where event_id = $1 order by id`,
      [eventId],
    );
    return rows.map(toEventDelivery);
  }

  /** Deliveries not yet acknowledged (metrics, tests). */
  async pendingCount(): Promise<number> {
    return (await this.backlog()).pending;
  }

  /** What is still to be sent, and how long the oldest of it has waited (0 when nothing waits). */
  async backlog(): Promise<OutboxBacklog> {
    const [row]: BacklogRow[] = await this.ds.query(
      `select p.n, p.age, d.dead, d.dead_last_hour
         from (select count(*)::int as n, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
                 from signal_outbox where delivered_at is null) p,
              -- One pass over the dead rows for both figures.
              (select count(*)::int as dead, (count(*) filter (where delivered_at > now() - interval '1 hour'))::int as dead_last_hour
                 from signal_outbox where outcome = 'dead') d`,
    );
    return { pending: row.n, oldestSeconds: row.age, dead: row.dead, deadLastHour: row.dead_last_hour };
  }
}
