import type { DataSource } from 'typeorm';

export interface EventCancellation {
  cancelledAt: string;
  reason: string | null;
  /** False when the event had been cancelled before: the first cancel's time and reason are kept. */
  first: boolean;
  /** The journeys the event was routed to (every delivery, sent or not). */
  workflowIds: string[];
}

type Row = Record<string, unknown>;

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
      const [event]: Row[] = await tx.query(`select cancelled_at, cancel_reason from events where id = $1 for update`, [eventId]);
      if (!event) return null;
      let cancelledAt = event.cancelled_at as Date | null;
      let kept = (event.cancel_reason as string | null) ?? null;
      const first = cancelledAt === null;
      if (first) {
        const [row]: Row[] = await tx.query(
          `with u as (update events set cancelled_at = now(), cancel_reason = $2 where id = $1 returning cancelled_at, cancel_reason) select * from u`,
          [eventId, reason],
        );
        cancelledAt = row.cancelled_at as Date;
        kept = row.cancel_reason as string;
      }
      await tx.query(
        `with closed as (
           update signal_outbox set delivered_at = now(), outcome = 'cancelled', last_error = null
            where event_id = $1 and delivered_at is null
           returning id)
         select count(*) from closed`,
        [eventId],
      );
      const deliveries: Row[] = await tx.query(`select distinct workflow_id from signal_outbox where event_id = $1 order by workflow_id`, [eventId]);
      return { cancelledAt: (cancelledAt as Date).toISOString(), reason: kept, first, workflowIds: deliveries.map((d) => d.workflow_id as string) };
    });
  }

  /** When and why the event was cancelled; null when it was not (or is unknown). */
  async find(eventId: string): Promise<{ cancelledAt: string; reason: string | null } | null> {
    const rows: Row[] = await this.ds.query(`select cancelled_at, cancel_reason from events where id = $1 and cancelled_at is not null`, [eventId]);
    const r = rows[0];
    return r ? { cancelledAt: (r.cancelled_at as Date).toISOString(), reason: (r.cancel_reason as string | null) ?? null } : null;
  }
}
