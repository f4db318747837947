import type { DataSource } from 'typeorm';

export interface TransitionRecord {
  idempotencyKey: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  workflowId: string;
  fromState: string | null;
  toState: string;
  at: string;
  cause: string;
}

/**
 * Each entry (a row with no `from` state) also gets its journey_entries row,
 * numbered after the user's last entry into the campaign, in the same
 * statement as its log row. Idempotent on the log key: an entry written
 * before keeps its number, even if a retried write changes its log row.
 */
const WRITE_ENTRIES = `
  entries as (
    insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at)
    select r.c, r.u,
           coalesce((select max(j.entry_no) from journey_entries j where j.campaign_key = r.c and j.user_id = r.u), 0)
             + row_number() over (partition by r.c, r.u order by r.n),
           r.k, r.a
      from r
     where r.f is null and not exists (select 1 from journey_entries j where j.transition_key = r.k)
    on conflict (transition_key) do nothing)`;

/** A journey_transitions row as forUser selects it. */
interface TransitionRow {
  idempotency_key: string;
  campaign_key: string;
  campaign_version: number;
  user_id: string;
  workflow_id: string;
  from_state: string | null;
  to_state: string;
  at: Date;
  cause: string;
}

const toTransition = (r: TransitionRow): TransitionRecord => ({
  idempotencyKey: r.idempotency_key,
  campaignKey: r.campaign_key,
  campaignVersion: r.campaign_version,
  userId: r.user_id,
  workflowId: r.workflow_id,
  fromState: r.from_state,
  toState: r.to_state,
  at: r.at.toISOString(),
  cause: r.cause,
});

export class TransitionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends one transition; a retry with the same key is a no-op. Returns whether a row was written. */
  async record(t: TransitionRecord): Promise<boolean> {
    return (await this.write([t], 'do nothing')) > 0;
  }

  /** Appends transitions in the given order, in one statement; a key already stored is overwritten. Returns how many rows were written. */
  async recordMany(records: readonly TransitionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.write(records, 'do update set from_state = excluded.from_state, to_state = excluded.to_state, at = excluded.at, cause = excluded.cause');
  }

  private async write(records: readonly TransitionRecord[], onConflict: string): Promise<number> {
    const column = <K extends keyof TransitionRecord>(k: K) => records.map((r) => r[k]);
    const rows: unknown[] = await this.ds.query(
      `with r as (
         select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
                with ordinality as r(k, c, v, u, w, f, t, a, x, n)),
       written as (
         insert into journey_transitions
           (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
         select k, c, v, u, w, f, t, a, x from r order by n
         on conflict (idempotency_key) ${onConflict}
         returning id),
       ${WRITE_ENTRIES}
       select id from written`,
      [
        column('idempotencyKey'),
        column('campaignKey'),
        column('campaignVersion'),
        column('userId'),
        column('workflowId'),
        column('fromState'),
        column('toState'),
        column('at'),
        column('cause'),
      ],
    );
    return rows.length;
  }

  async forUser(campaignKey: string, userId: string): Promise<TransitionRecord[]> {
    const rows: TransitionRow[] = await this.ds.query(
      `select idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause
         from journey_transitions where campaign_key = $1 and user_id = $2 order by at, id`,
      [campaignKey, userId],
    );
    return rows.map(toTransition);
  }
}
