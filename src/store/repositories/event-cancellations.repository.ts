import type { DataSource } from 'typeorm';
import { journeyIdNow } from './signal-outbox.repository';

export interface EventCancellation extends StoredCancel {
  /** False when the event had been cancelled before: the first cancel's time and reason are kept. */
  first: boolean;
  /**
   * True when an earlier request finished this cancel: every journey it was
   * routed to took the cancel (or had ended) and no send was in flight. Such
   * a repeat is kept unfinished until the caller says otherwise, as a first
   * cancel is, so a finish that fails is still followed up.
   */
  finishedBefore: boolean;
  /** The user the event was about. */
  userId: string;
  /** The journeys the event was routed to (every delivery, sent or not). */
  workflowIds: string[];
  /** The event's late deliveries as this cancel read them, for `finished` once the journeys are told. */
  lateDeliveries: number;
}

/** A cancel the finisher is to finish: tell these journeys, reclaim in the ledger. */
export interface UnfinishedCancel {
  eventId: string;
  reason: string | null;
  workflowIds: string[];
  /**
   * How many deliveries of the event a journey was found to have taken after
   * the cancel closed them (`events.cancel_late_deliveries`), read before
   * the journeys are told: `finished` is given it back, and finishes nothing
   * if one more was found since (that journey may have had the event only
   * after it was told).
   */
  lateDeliveries: number;
}

/** What is kept of an event's cancel (the events table's two columns). */
interface CancelRow {
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export interface StoredCancel {
  cancelledAt: string;
  reason: string | null;
}

/** The one mapper of a kept cancel; null for an event not cancelled. */
const toStoredCancel = (r: CancelRow): StoredCancel | null =>
  r.cancelled_at === null ? null : { cancelledAt: r.cancelled_at.toISOString(), reason: r.cancel_reason ?? null };

/** Past a sender's lease, how long before a send it made has certainly settled at Temporal too. */
const SEND_SETTLES_MS = 5_000;

/** Records cancels on the events table and closes the event's deliveries still queued. */
export class EventCancellationsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * In one transaction: keeps the first cancel on the event (the row lock
   * makes concurrent cancels wait and then see it) and closes the deliveries
   * not yet sent, so the relay never sends a cancelled event. Null for an
   * unknown event. The cancel is unfinished afterwards, left to the caller
   * for `finishingForMs`; a repeat of one finished before is too (the
   * finisher tells its journeys again, which they take as already told).
   */
  async cancel(eventId: string, reason: string, finishingForMs: number): Promise<EventCancellation | null> {
    return this.ds.transaction(async (tx) => {
      const [event]: Array<CancelRow & { user_id: string; unfinished: boolean; cancel_late_deliveries: number }> = await tx.query(
        `select cancelled_at, cancel_reason, user_id, cancel_unfinished_since is not null as unfinished, cancel_late_deliveries from events where id = $1 for update`,
        [eventId],
      );
      if (!event) return null;
      let kept = toStoredCancel(event);
      const first = kept === null;
      const finishedBefore = !first && !event.unfinished;
      if (kept === null) {
        // Unfinished until the caller says otherwise; the finisher leaves it to the caller for `finishingForMs`.
        const [row]: CancelRow[] = await tx.query(
          `with u as (update events set cancelled_at = now(), cancel_reason = $2, cancel_unfinished_since = now(), cancel_retry_at = now() + $3 * interval '1 millisecond'
                       where id = $1 returning cancelled_at, cancel_reason) select * from u`,
          [eventId, reason, finishingForMs],
        );
        kept = toStoredCancel(row);
        if (kept === null) throw new Error(`event ${eventId}: cancel not recorded`);
      } else {
        await tx.query(
          `update events set cancel_unfinished_since = coalesce(cancel_unfinished_since, now()), cancel_retry_at = now() + $2 * interval '1 millisecond' where id = $1`,
          [eventId, finishingForMs],
        );
      }
      await tx.query(
        `with closed as (
           update signal_outbox set delivered_at = now(), outcome = 'cancelled', last_error = null
            where event_id = $1 and delivered_at is null
           returning id)
         select count(*) from closed`,
        [eventId],
      );
      const deliveries: JourneyOfDelivery[] = await tx.query(`select distinct workflow_id, campaign_key, user_id from signal_outbox where event_id = $1 order by workflow_id`, [eventId]);
      return { ...kept, first, finishedBefore, userId: event.user_id, workflowIds: journeysNow(deliveries), lateDeliveries: event.cancel_late_deliveries };
    });
  }

  /**
   * Every journey was told and the ledger reclaimed what the event caused:
   * nothing is left for the finisher, unless the cancel closed a delivery
   * that a sender held then or until less than SEND_SETTLES_MS ago (its
   * lease, or its backoff, had not run out, or only just: a send may have
   * been in flight, and one that timed out here may still reach Temporal for
   * that long). Such a send can fail at this end after
   * Temporal took it, starting a journey the cancel found nowhere; so the
   * cancel stays unfinished, and the finisher tells the journeys again once
   * the lease has run out and the send has settled either way.
   *
   * `lateDeliveries` is the count the caller read before it told the
   * journeys (UnfinishedCancel.lateDeliveries). A send found since that its
   * journey took the event after all (sentButCancelled, which made the cancel
   * unfinished again) may have started a journey after the caller's signal
   * found none: the cancel then stays as that find left it (unfinished,
   * with the lease it gave the one sending the cancel again, or finished by
   * then by a teller that read the newer count: the finisher, or a repeated
   * cancel request, each of which tells every journey the event was routed
   * to). The sender that found the late delivery never finishes the cancel:
   * it tells only its own journey, while others may still be telling theirs.
   */
  async finished(eventId: string, lateDeliveries: number): Promise<void> {
    await this.ds.query(
      `with held as (
         select max(next_attempt_at) as until from signal_outbox
          where event_id = $1 and outcome = 'cancelled' and next_attempt_at > now() - $2 * interval '1 millisecond')
       update events set
         cancel_unfinished_since = case when held.until is not null then coalesce(cancel_unfinished_since, now())
                                        when cancel_late_deliveries = $3 then null
                                        -- Left as it is: unfinished since the late delivery, or finished since by a teller of every journey that read the newer count.
                                        else cancel_unfinished_since end,
         cancel_retry_at = case when cancel_late_deliveries = $3 then held.until + $2 * interval '1 millisecond'
                                else greatest(cancel_retry_at, held.until + $2 * interval '1 millisecond') end
        from held
       where id = $1`,
      [eventId, SEND_SETTLES_MS, lateDeliveries],
    );
  }

  /** A cancel found unfinished after all (a send in flight took the event in meanwhile) and not told again: the finisher takes it up at once. */
  async unfinishedAgain(eventId: string): Promise<void> {
    await this.ds.query(`update events set cancel_unfinished_since = coalesce(cancel_unfinished_since, now()), cancel_retry_at = now() where id = $1 and cancelled_at is not null`, [eventId]);
  }

  /**
   * Cancels whose finishing failed (Temporal away) and are due again, oldest
   * first, each leased for `leaseMs` (FOR UPDATE SKIP LOCKED: API instances
   * share them and never finish one at the same time).
   */
  async claimUnfinished(limit: number, leaseMs: number): Promise<UnfinishedCancel[]> {
    const rows: Array<{ id: string; cancel_reason: string | null; journeys: JourneyOfDelivery[]; cancel_late_deliveries: number }> = await this.ds.query(
      `with due as (
         select id from events
          where cancel_unfinished_since is not null and (cancel_retry_at is null or cancel_retry_at <= now())
          order by cancel_unfinished_since
          limit $1
          for update skip locked),
       leased as (
         update events e set cancel_retry_at = now() + $2 * interval '1 millisecond' from due where e.id = due.id
         returning e.id, e.cancel_reason, e.cancel_unfinished_since, e.cancel_late_deliveries)
       select l.id, l.cancel_reason, l.cancel_late_deliveries,
              coalesce((select jsonb_agg(jsonb_build_object('workflow_id', d.workflow_id, 'campaign_key', d.campaign_key, 'user_id', d.user_id) order by d.workflow_id)
                          from (select distinct o.workflow_id, o.campaign_key, o.user_id from signal_outbox o where o.event_id = l.id) d), '[]'::jsonb) as journeys
         from leased l order by l.cancel_unfinished_since`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({ eventId: r.id, reason: r.cancel_reason, workflowIds: journeysNow(r.journeys), lateDeliveries: r.cancel_late_deliveries }));
  }

  /** How many cancels wait to be finished, and for how long the oldest has. */
  async unfinished(): Promise<{ count: number; oldestSeconds: number }> {
    const [row]: Array<{ count: number; oldest: number | null }> = await this.ds.query(
      `select count(*)::int as count, extract(epoch from now() - min(cancel_unfinished_since))::float8 as oldest from events where cancel_unfinished_since is not null`,
    );
    return { count: row.count, oldestSeconds: row.oldest ?? 0 };
  }

  /** When and why the event was cancelled; null when it was not (or is unknown). */
  async find(eventId: string): Promise<StoredCancel | null> {
    const rows: CancelRow[] = await this.ds.query(`select cancelled_at, cancel_reason from events where id = $1 and cancelled_at is not null`, [eventId]);
    return rows[0] ? toStoredCancel(rows[0]) : null;
  }
}

/** A delivery's journey as its row stores it. */
interface JourneyOfDelivery {
  workflow_id: string;
  campaign_key: string;
  user_id: string;
}

/** The journeys an event was routed to, in the rows' order, by the ids they have now (journeyIdNow: a row from before ids were cut holds the uncut one). */
const journeysNow = (rows: readonly JourneyOfDelivery[]): string[] => [...new Set(rows.map((r) => journeyIdNow(r.workflow_id, r.campaign_key, r.user_id)))];
