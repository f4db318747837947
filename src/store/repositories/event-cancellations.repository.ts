import type { DataSource } from 'typeorm';

export interface EventCancellation extends StoredCancel {
  /** False when the event had been cancelled before: the first cancel's time and reason are kept. */
  first: boolean;
  /** The user the event was about. */
  userId: string;
  /** The journeys the event was routed to (every delivery, sent or not). */
  workflowIds: string[];
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

/** Records cancels on the events table and closes the event's deliveries still queued. */
export class EventCancellationsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * In one transaction: keeps the first cancel on the event (the row lock
   * makes concurrent cancels wait and then see it) and closes the deliveries
   * not yet sent, so the relay never sends a cancelled event. Null for an
   * unknown event.
   */
  async cancel(eventId: string, reason: string): Promise<EventCancellation | null> {
    return this.ds.transaction(async (tx) => {
      const [event]: Array<CancelRow & { user_id: string }> = await tx.query(`select cancelled_at, cancel_reason, user_id from events where id = $1 for update`, [eventId]);
      if (!event) return null;
      let kept = toStoredCancel(event);
      const first = kept === null;
      if (kept === null) {
        const [row]: CancelRow[] = await tx.query(
          `with u as (update events set cancelled_at = now(), cancel_reason = $2 where id = $1 returning cancelled_at, cancel_reason) select * from u`,
          [eventId, reason],
        );
        kept = toStoredCancel(row);
        if (kept === null) throw new Error(`event ${eventId}: cancel not recorded`);
      }
      await tx.query(
        `with closed as (
           update signal_outbox set delivered_at = now(), outcome = 'cancelled', last_error = null
            where event_id = $1 and delivered_at is null
           returning id)
         select count(*) from closed`,
        [eventId],
      );
      const deliveries: Array<{ workflow_id: string }> = await tx.query(`select distinct workflow_id from signal_outbox where event_id = $1 order by workflow_id`, [
        eventId,
      ]);
      return { ...kept, first, userId: event.user_id, workflowIds: deliveries.map((d) => d.workflow_id) };
    });
  }

  /** When and why the event was cancelled; null when it was not (or is unknown). */
  async find(eventId: string): Promise<StoredCancel | null> {
    const rows: CancelRow[] = await this.ds.query(`select cancelled_at, cancel_reason from events where id = $1 and cancelled_at is not null`, [eventId]);
    return rows[0] ? toStoredCancel(rows[0]) : null;
  }
}
