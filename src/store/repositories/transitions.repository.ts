import type { DataSource } from 'typeorm';
import { PreparedStatement } from '../prepared-statement';

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
  /** The journey's path that moved (p1, p2, ...); absent from journeys' writes before it was sent. */
  pathId?: string | null;
  /** An entry judged at another time than `at` (a scheduled entry's tick): its journey_entries row's time. Absent before patch entry-row-at-tick. */
  entryAt?: string | null;
}

/**
 * Each entry (a row with no `from` state) also gets its journey_entries row,
 * numbered after the user's last entry into the campaign, in the same
 * statement as its log row, at the time the entry counts from (a scheduled
 * entry's tick, else the row's own time). Idempotent on the log key: an entry written
 * before keeps its number, even if a retried write changes its log row.
 */
const WRITE_ENTRIES = `
  entries as (
    insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at)
    select r.c, r.u,
           coalesce((select max(j.entry_no) from journey_entries j where j.campaign_key = r.c and j.user_id = r.u), 0)
             + row_number() over (partition by r.c, r.u order by r.n),
           r.k, coalesce(r.ea, r.a)
      from r
     where r.f is null and not exists (select 1 from journey_entries j where j.transition_key = r.k)
    on conflict (transition_key) do nothing)`;

/**
 * The funnel's figures (migration 1765200000000), kept in the statement that
 * writes the log. A row new to the log counts once. A row written again
 * (recordMany's retry) counts only if what it says changed: the old content
 * is taken back first (its visits stay: they are "ever arrived"). The
 * lookup in `changes` sees the log as it was before the statement (one
 * snapshot for all of it); an overwritten row it cannot see was written by a
 * concurrent statement, which counted it. The lookup is by key per written
 * row (`offset 0` keeps it from being turned into a join), so a prepared
 * plan made while the log was empty still uses the index, not a scan.
 *
 * Counter rows are sharded by journey or user and written in key order, so
 * concurrent journeys seldom wait for one lock and never deadlock on them.
 */
const WRITE_FUNNEL = `
  changes as (
    select r.c, r.v, r.u, r.w, r.f, r.t, r.a, wr.inserted, o.c as oc, o.v as ov, o.u as ou, o.w as ow, o.f as ofrom, o.t as oto
      from written wr join r on r.k = wr.k
      left join lateral (select campaign_key as c, campaign_version as v, user_id as u, workflow_id as w, from_state as f, to_state as t
                           from journey_transitions l where l.idempotency_key = wr.k and not wr.inserted offset 0) o on true),
  applied as (
    select c, v, u, w, f, t, a, 1 as sign from changes
     where inserted or (oc is not null and (oc, ov, ou, ow, ofrom, oto) is distinct from (c, v, u, w, f, t))
    union all
    select oc, ov, ou, ow, ofrom, oto, null, -1 from changes
     where not inserted and oc is not null and (oc, ov, ou, ow, ofrom, oto) is distinct from (c, v, u, w, f, t)),
  moved as (
    select w, v, state, c, u, sum(d)::int as d, max(arrived) as since from (
      select w, v, t as state, c, u, sign as d, case when sign > 0 then a end as arrived from applied
      union all
      select w, v, f, c, u, -sign, null from applied where f is not null
    ) m group by w, v, state, c, u),
  positions as (
    insert into journey_positions as p (workflow_id, campaign_version, state, campaign_key, user_id, paths, since)
    select w, v, state, c, u, d, since from moved order by w, v, state
    on conflict (workflow_id, campaign_version, state) do update set paths = p.paths + excluded.paths, since = greatest(p.since, excluded.since)
    returning workflow_id as w, campaign_version as v, state, paths),
  visits as (
    insert into funnel_visits (campaign_key, campaign_version, state, user_id)
    select distinct applied.c, s.v, s.state, applied.u
      from applied cross join lateral (values (applied.v, applied.t), (0, applied.t), (0, case when applied.f is null then '(entry)' end)) s(v, state)
     where applied.sign > 0 and s.state is not null
     order by 1, 2, 3, 4
    on conflict do nothing
    returning campaign_key as c, campaign_version as v, state, user_id as u),
  deltas as (
    select c, v, 'entered' as kind, '' as f, state as t, hashtext(u) & 7 as shard, 1 as d from visits
    union all
    select m.c, m.v, 'current', '', m.state, hashtext(m.w) & 7, (p.paths > 0)::int - (p.paths - m.d > 0)::int
      from positions p join moved m on m.w = p.w and m.v = p.v and m.state = p.state
    union all
    select c, v, 'edge', coalesce(f, '(entry)'), t, hashtext(w) & 7, sign from applied),
  counters as (
    insert into funnel_counters as fc (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
    select c, v, kind, f, t, shard, sum(d) from deltas group by 1, 2, 3, 4, 5, 6 having sum(d) <> 0 order by 1, 2, 3, 4, 5, 6
    on conflict (campaign_key, campaign_version, kind, from_state, to_state, shard) do update set n = fc.n + excluded.n)`;

/** The log write: the rows, their entries and the funnel's figures, in one statement. */
const logWrite = (name: string, onConflict: string) =>
  new PreparedStatement<{ k: string }>(
    name,
    `with r as (
       select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::timestamptz[])
              with ordinality as r(k, c, v, u, w, f, t, a, x, p, ea, n)),
     written as (
       insert into journey_transitions
         (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause, path_id)
       select k, c, v, u, w, f, t, a, x, p from r order by n
       on conflict (idempotency_key) ${onConflict}
       returning idempotency_key as k, xmax = 0 as inserted),
     ${WRITE_ENTRIES},
     ${WRITE_FUNNEL}
     select k from written`,
  );

// Prepared: planning these CTEs cost PostgreSQL more than running them.
const WRITE_ONCE = logWrite('kairos_journey_log_write_once', 'do nothing');
const WRITE_AGAIN = logWrite(
  'kairos_journey_log_write_again',
  'do update set from_state = excluded.from_state, to_state = excluded.to_state, at = excluded.at, cause = excluded.cause, path_id = excluded.path_id',
);

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
    return (await this.write([t], WRITE_ONCE)) > 0;
  }

  /** Appends transitions in the given order, in one statement; a key already stored is overwritten. Returns how many rows were written. */
  async recordMany(records: readonly TransitionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.write(records, WRITE_AGAIN);
  }

  private async write(records: readonly TransitionRecord[], statement: PreparedStatement<{ k: string }>): Promise<number> {
    const column = <K extends keyof TransitionRecord>(k: K) => records.map((r) => r[k]);
    const rows = await statement.run(this.ds, [
      column('idempotencyKey'),
      column('campaignKey'),
      column('campaignVersion'),
      column('userId'),
      column('workflowId'),
      column('fromState'),
      column('toState'),
      column('at'),
      column('cause'),
      records.map((r) => r.pathId ?? null),
      records.map((r) => r.entryAt ?? null),
    ]);
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
