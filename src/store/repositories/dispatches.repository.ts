import type { DataSource } from 'typeorm';
import type { JsonInput } from '../json';

/**
 * Dispatches: what Kairos sends to outside parties, recorded before it is sent
 * (messages per channel, and webhook calls; tables messages and webhook_calls).
 * Same life cycle, same columns for delivery. Not to be confused with the
 * signal outbox (signal_outbox), which holds events on their way to journeys.
 */
export type DispatchTable = 'messages' | 'webhook_calls';

/**
 * pending: written, not attempted; stored: no webhook for its channel, the row is the delivery;
 * sent: a 2xx answer; retrying: the last attempt failed and may pass later; rejected: refused for good.
 */
export type DispatchStatus = 'pending' | 'stored' | 'sent' | 'retrying' | 'rejected';

/** Names one claim of a row (claim()), so that only its holder's failure is recorded (recordAttempt). */
export type ClaimToken = string;

/** A claim's token in SQL: its end in microseconds since the epoch. */
const CLAIM_TOKEN = `(extract(epoch from claimed_until) * 1000000)::bigint`;

/** How long the row's claim lasts, in ms (0 when it has none, or it lapsed). */
const LEFT_MS = `greatest(0, ceil(extract(epoch from claimed_until - clock_timestamp()) * 1000))::int`;

export interface DispatchRow {
  id: string;
  idempotencyKey: string;
  payload: string;
  status: DispatchStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

export interface NewMessage {
  idempotencyKey: string;
  campaignKey: string;
  userId: string;
  channel: string;
  template: string;
  /** Stored as its JSON (JSON.stringify). */
  data: JsonInput;
  causedBy: string[];
  payload: string;
}

export interface NewWebhookCall {
  idempotencyKey: string;
  campaignKey: string | null;
  userId: string | null;
  url: string;
  causedBy: string[];
  payload: string;
}

/** The columns every statement here returns (COLUMNS), as the driver reads them: bigserial ids arrive as text. */
interface DeliveryColumnsRow {
  id: string;
  idempotency_key: string;
  payload: string;
  status: DispatchStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
}

const COLUMNS = 'id, idempotency_key, payload, status, attempts, last_status, last_error';

const toRow = (r: DeliveryColumnsRow): DispatchRow => ({
  id: String(r.id),
  idempotencyKey: r.idempotency_key,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status ?? null,
  lastError: r.last_error ?? null,
});

export class DispatchesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Writes the message once per key (a retry keeps the first payload) and returns the stored row. */
  async putMessage(m: NewMessage): Promise<DispatchRow> {
    const rows: DeliveryColumnsRow[] = await this.ds.query(
      `with ins as (
         insert into messages (idempotency_key, campaign_key, user_id, channel, template, data, caused_by, payload)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7::text[], $8)
         on conflict (idempotency_key) do nothing
         returning ${COLUMNS})
       select * from ins
       union all
       select ${COLUMNS} from messages where idempotency_key = $1 and not exists (select 1 from ins)`,
      [m.idempotencyKey, m.campaignKey, m.userId, m.channel, m.template, JSON.stringify(m.data), m.causedBy, m.payload],
    );
    return this.readBack(rows, 'messages', m.idempotencyKey);
  }

  async putWebhookCall(w: NewWebhookCall): Promise<DispatchRow> {
    const rows: DeliveryColumnsRow[] = await this.ds.query(
      `with ins as (
         insert into webhook_calls (idempotency_key, campaign_key, user_id, url, caused_by, payload)
         values ($1, $2, $3, $4, $5::text[], $6)
         on conflict (idempotency_key) do nothing
         returning ${COLUMNS})
       select * from ins
       union all
       select ${COLUMNS} from webhook_calls where idempotency_key = $1 and not exists (select 1 from ins)`,
      [w.idempotencyKey, w.campaignKey, w.userId, w.url, w.causedBy, w.payload],
    );
    return this.readBack(rows, 'webhook_calls', w.idempotencyKey);
  }

  /**
   * The CTE cannot see a row whose insert lost a race to a transaction that
   * committed after our snapshot; read it again then.
   */
  private async readBack(rows: DeliveryColumnsRow[], table: DispatchTable, key: string): Promise<DispatchRow> {
    if (rows[0]) return toRow(rows[0]);
    const again: DeliveryColumnsRow[] = await this.ds.query(`select ${COLUMNS} from ${table} where idempotency_key = $1`, [key]);
    if (!again[0]) throw new Error(`${table} row ${key} vanished`);
    return toRow(again[0]);
  }

  /**
   * The row as it stands now, in a statement of its own. A data-modifying
   * CTE's outer select reads the row as of the statement's start: when
   * another attempt's write committed while the UPDATE waited for the row, the
   * UPDATE re-checks the new row and skips it, but the select still returns the
   * old one (under READ COMMITTED a new statement sees that commit).
   */
  private async current(table: DispatchTable, id: string): Promise<DeliveryColumnsRow & { left_ms: number }> {
    const [r]: Array<DeliveryColumnsRow & { left_ms: number }> = await this.ds.query(
      `select ${COLUMNS}, ${LEFT_MS} as left_ms from ${table} where id = $1`,
      [id],
    );
    if (!r) throw new Error(`${table} row ${id} vanished`);
    return r;
  }

  /** The message stored under `key`, if any; reads only (a channel without a webhook is delivered by the insert). */
  async findMessage(key: string): Promise<DispatchRow | undefined> {
    const rows: DeliveryColumnsRow[] = await this.ds.query(`select ${COLUMNS} from messages where idempotency_key = $1`, [key]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /**
   * Claims the row for one send, for `leaseMs`: `claimed` when no other
   * attempt holds it, with the claim's token (its end, as PostgreSQL wrote
   * it) for recordAttempt; else the row as it stands (`sent` by the holder,
   * or still being sent, with how long its claim lasts), read again when not
   * claimed (current): another attempt's claim or `sent` that committed
   * while this one waited would otherwise read as no claim, and this attempt
   * would look again at once instead of when that claim ends. The holder's
   * outcome (recordAttempt) ends the claim; a holder that died leaves it to lapse.
   */
  async claim(table: DispatchTable, id: string, leaseMs: number): Promise<{ claimed: true; token: ClaimToken } | { claimed: false; row: DispatchRow; leftMs: number }> {
    const [r]: Array<{ token: string }> = await this.ds.query(
      // The token is the claim's end in microseconds since the epoch: exact (a JS Date would round it to the
      // millisecond), and unlike timestamptz text it reads back the same whatever the session's DateStyle.
      `with c as (
         update ${table} set claimed_until = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
          where id = $1 and status <> 'sent' and (claimed_until is null or claimed_until <= clock_timestamp())
          returning ${CLAIM_TOKEN}::text as token)
       select token from c`,
      [id, leaseMs],
    );
    if (r) return { claimed: true, token: r.token };
    const held = await this.current(table, id);
    return { claimed: false, row: toRow(held), leftMs: held.left_ms ?? 0 };
  }

  /**
   * Records one delivery attempt's outcome on the row, and ends its claim.
   * Tied to the attempt's claim (`claim`: the token claim() gave it): an
   * attempt that stalled past its lease may find the row claimed, or already
   * sent, by another attempt, and its failure must not overwrite that. A 2xx
   * is recorded whoever holds the claim (the receiver has the delivery, and a
   * sent row is claimed by no one after it), but never over an earlier `sent`.
   * `recorded`: whether this outcome was written; `row`: the row as it stands,
   * read again when it was not written (current): an attempt whose failure
   * was not written because another's `sent` committed meanwhile must find
   * the row sent, or it would hold the journey's step over a delivered one.
   */
  async recordAttempt(
    table: DispatchTable,
    id: string,
    outcome: { status: DispatchStatus; httpStatus: number | null; error: string | null },
    claim: ClaimToken,
  ): Promise<{ recorded: boolean; row: DispatchRow }> {
    const rows: DeliveryColumnsRow[] = await this.ds.query(
      // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `with u as (
         update ${table}
            set attempts = attempts + 1, status = $2, last_status = $3, last_error = $4, claimed_until = null,
                sent_at = case when $2 = 'sent' then now() else sent_at end, updated_at = now()
          where id = $1 and status <> 'sent' and ($2 = 'sent' or ${CLAIM_TOKEN} = $5::bigint)
          returning ${COLUMNS})
       select * from u`,
      [id, outcome.status, outcome.httpStatus, outcome.error, claim],
    );
    if (rows[0]) return { recorded: true, row: toRow(rows[0]) };
    return { recorded: false, row: toRow(await this.current(table, id)) };
  }

  /**
   * Marks a message of a channel without a webhook stored, unless it was sent
   * (when its channel had one); returns the row as it stands, read again when
   * it was sent (current), as recordAttempt does.
   */
  async markStored(id: string): Promise<DispatchRow> {
    const rows: DeliveryColumnsRow[] = await this.ds.query(
      `with u as (update messages set status = 'stored', updated_at = now() where id = $1 and status <> 'sent' returning ${COLUMNS})
       select * from u`,
      [id],
    );
    return toRow(rows[0] ?? (await this.current('messages', id)));
  }
}
