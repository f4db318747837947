import type { DataSource } from 'typeorm';
import { notAnEndState } from './end-state-sql';

export interface FunnelState {
  state: string;
  /** Distinct users with at least one transition into the state. */
  entered: number;
  /** Journeys with a path in the state now (never an end state or `(exited)`). */
  current: number;
}

export interface FunnelEdge {
  /** `(entry)` for a path entering the campaign (from_state null in the log). */
  from: string;
  to: string;
  /** Transitions along the edge, every one counted. */
  count: number;
}

export interface IntervalStats {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

/** The interval statement's one row: percentiles of milliseconds (float8), null when nothing was timed. */
interface IntervalRow {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** Rounds away float noise from epoch arithmetic; the log has millisecond times. */
const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

const toIntervalStats = (r: IntervalRow): IntervalStats => ({ count: r.count, p50Ms: ms(r.p50), p90Ms: ms(r.p90), p99Ms: ms(r.p99) });

/**
 * The intervals statement (AnalyticsRepository.intervals): $1 campaign, $2
 * `from`, $3 `to`, $4 version or null, $5 `since` or null, $6 `until` or
 * null. Exported for the test that reads its plan.
 */
export const INTERVALS_SQL = `with a as (
         select id, workflow_id, path_id, at from journey_transitions
          where campaign_key = $1 and to_state = $2 and ($4::int is null or campaign_version = $4)
            and ($5::timestamptz is null or at >= $5) and ($6::timestamptz is null or at < $6)
       ), pairs as (
         select a.workflow_id, a.id as a_id, a.at as a_at, b.id as b_id, b.at as b_at
           from a cross join lateral (
             -- The next arrival in to: of a's path or of a row without one (each the first row of its own range of
             -- journey_transitions_workflow_path_state_idx, whatever other paths did), the earlier of the two; a row
             -- without a path pairs with any path's (journey_transitions_workflow_state_idx).
             select id, at, path_id from (
               (select id, at, path_id from journey_transitions b
                 where a.path_id is not null and b.workflow_id = a.workflow_id and b.path_id = a.path_id and b.to_state = $3
                   and (b.at, b.id) > (a.at, a.id) and ($4::int is null or b.campaign_version = $4)
                 order by b.at, b.id limit 1)
               union all
               (select id, at, path_id from journey_transitions b
                 where a.path_id is not null and b.workflow_id = a.workflow_id and b.path_id is null and b.to_state = $3
                   and (b.at, b.id) > (a.at, a.id) and ($4::int is null or b.campaign_version = $4)
                 -- By the path too (null in every row here): the order of the index, so its first row is the earliest.
                 order by b.path_id, b.at, b.id limit 1)
               union all
               (select id, at, path_id from journey_transitions b
                 where a.path_id is null and b.workflow_id = a.workflow_id and b.to_state = $3
                   and (b.at, b.id) > (a.at, a.id) and ($4::int is null or b.campaign_version = $4)
                 order by b.at, b.id limit 1)
             ) next order by at, id limit 1
           ) b
          -- Not when the path came back to the from state between the two, in the window or not: b is that later visit's.
          -- The path is a's, else b's: a visit of it or of a row without a path; with neither, any visit (one probe each).
          where not exists (
             select 1 from journey_transitions c
              where c.workflow_id = a.workflow_id and c.path_id = coalesce(a.path_id, b.path_id) and c.to_state = $2
                and (c.at, c.id) > (a.at, a.id) and (c.at, c.id) < (b.at, b.id)
                and ($4::int is null or c.campaign_version = $4)
             union all
             select 1 from journey_transitions c
              where coalesce(a.path_id, b.path_id) is not null and c.workflow_id = a.workflow_id and c.path_id is null and c.to_state = $2
                and (c.at, c.id) > (a.at, a.id) and (c.at, c.id) < (b.at, b.id)
                and ($4::int is null or c.campaign_version = $4)
             union all
             select 1 from journey_transitions c
              where coalesce(a.path_id, b.path_id) is null and c.workflow_id = a.workflow_id and c.to_state = $2
                and (c.at, c.id) > (a.at, a.id) and (c.at, c.id) < (b.at, b.id)
                and ($4::int is null or c.campaign_version = $4)
          )
       ), latest as (
         -- Each b once, from the latest a (two can be left only when a row without a path follows rows with one).
         select distinct on (b_id) workflow_id, a_id, a_at, b_id, b_at
           from pairs order by b_id, a_at desc, a_id desc
       ), timed as (
         -- Not across a retention fold that deleted an arrival in either state: the pair would be timed from an
         -- earlier visit than the latest, or b would stand for an arrival in to that went. Read on
         -- journey_transitions_folded_idx (rows with pruned_arrivals only, implied by the strict &&).
         select (extract(epoch from b_at - a_at) * 1000)::float8 as ms
           from latest l
          where not exists (
             select 1 from journey_transitions f
              where f.workflow_id = l.workflow_id and f.pruned_arrivals && array[$2, $3]::text[]
                and (f.at, f.id) > (l.a_at, l.a_id) and (f.at, f.id) <= (l.b_at, l.b_id)
          )
       )
       select count(*)::int as count,
              percentile_cont(0.5) within group (order by ms) as p50,
              percentile_cont(0.9) within group (order by ms) as p90,
              percentile_cont(0.99) within group (order by ms) as p99
         from timed`;

/**
 * Funnel figures from the counters kept as the journey log is written
 * (migration 1765200000000), intervals as SQL over the log (DESIGN.md,
 * decision 8). The log has no path id, so "where a path is now" is counted
 * rather than looked up: per workflow and version, arrivals into a state
 * minus departures from it is the number of its paths there, whatever the
 * order the rows were written in and however many paths run in parallel.
 */
export class AnalyticsRepository {
  constructor(private readonly ds: DataSource) {}

  async campaignExists(key: string): Promise<boolean> {
    const rows: Array<{ found: number }> = await this.ds.query(`select 1 as found from campaigns where key = $1`, [key]);
    return rows.length > 0;
  }

  /**
   * In one round trip: whether the campaign exists, and the states its
   * versions define (all versions, or the one given), sorted; `states` is
   * null when it has no such version.
   */
  async definedStates(key: string, version: number | null): Promise<{ campaign: boolean; states: string[] | null }> {
    const [row]: Array<{ campaign: boolean; versions: number; states: string[] }> = await this.ds.query(
      `select exists (select 1 from campaigns where key = $1) as campaign,
              count(*)::int as versions,
              coalesce((select jsonb_agg(distinct s order by s) from campaign_versions v, jsonb_object_keys(v.definition -> 'states') s
                         where v.campaign_key = $1 and ($2::int is null or v.version = $2)), '[]'::jsonb) as states
         from campaign_versions where campaign_key = $1 and ($2::int is null or version = $2)`,
      [key, version],
    );
    return { campaign: row.campaign, states: row.versions > 0 ? row.states : null };
  }

  /**
   * States of the selected versions' definitions (even if nobody entered them
   * yet) and of the counters. `entered` over all versions is its own counter
   * (version 0: a user counts once however many versions they entered);
   * `current` is summed over the versions, each leaving out its end states.
   */
  async funnelStates(key: string, version: number | null): Promise<FunnelState[]> {
    // The statement's columns are FunnelState's, so its rows need no mapping. The counters are bigint summed over
    // shards: read as float8 (a JS number, exact to 2^53), not int, which fails past 2^31.
    const rows: FunnelState[] = await this.ds.query(
      `with defined as (
         select distinct jsonb_object_keys(definition -> 'states') as state
           from campaign_versions where campaign_key = $1 and ($2::int is null or version = $2)
       ), entered as (
         select to_state as state, sum(n)::float8 as n from funnel_counters
          where campaign_key = $1 and campaign_version = coalesce($2, 0) and kind = 'entered' and to_state <> '(entry)'
          group by to_state having sum(n) > 0
       ), current as (
         select c.to_state as state, sum(c.n)::float8 as n
           from funnel_counters c join campaign_versions v on v.campaign_key = $1 and v.version = c.campaign_version
          where c.campaign_key = $1 and ($2::int is null or c.campaign_version = $2) and c.kind = 'current'
            and c.to_state <> '(exited)' and ${notAnEndState('v', 'c.to_state')}
          group by c.to_state
       ), states as (
         select state from defined union select state from entered
       )
       select s.state, coalesce(e.n, 0) as entered, greatest(coalesce(c.n, 0), 0) as current
         from states s left join entered e on e.state = s.state left join current c on c.state = s.state
        order by 2 desc, 1`,
      [key, version],
    );
    return rows;
  }

  async funnelEdges(key: string, version: number | null): Promise<FunnelEdge[]> {
    // Columns named and typed as FunnelEdge's (the bigint counters as float8, as in funnelStates).
    const rows: FunnelEdge[] = await this.ds.query(
      `select from_state as "from", to_state as "to", sum(n)::float8 as count
         from funnel_counters where campaign_key = $1 and kind = 'edge' and ($2::int is null or campaign_version = $2)
        group by 1, 2 having sum(n) > 0 order by 3 desc, 1, 2`,
      [key, version],
    );
    return rows;
  }

  /**
   * Each arrival into `to` that follows an arrival into `from` by the same
   * path of the same workflow, timed from the latest such arrival before it
   * (a user who came back to `from` before reaching `to` is timed from the
   * last visit). Every arrival into `from` pairs with at most the first
   * later arrival into `to`, and not even with that one when the path
   * arrived in `from` again in between: the later visit is the one timed.
   * Paths: a parallel journey's paths move on their own, so one path's
   * arrival is never timed from another's; rows written before the log kept
   * paths (migration 1766100000000) pair within the workflow, as they did.
   * With a version, both arrivals are of it: a journey that moved to another
   * version is not timed across the two.
   *
   * `window`: only moves that arrived in `from` within [since, until), read
   * as one range of journey_transitions_campaign_state_at_idx (campaign_key,
   * to_state, at, id), so a period costs what it holds; the pairing is the
   * costly part, so it runs on those only. The later visit that takes an
   * arrival in `to` away is looked for in the whole log, not only in the
   * window: an arrival in `to` that followed a visit after `until` belongs
   * to that visit, so it is not counted, rather than timed from an earlier
   * visit within the window. Each windowed arrival costs one probe for its
   * `to` and one for a visit between the two. With a path, each is two
   * ranges of journey_transitions_workflow_path_state_idx (workflow_id,
   * path_id, to_state, at, id), its path's and the rows without one, whose
   * first row answers: the other paths of the journey are never read, so a
   * journey that entered many times costs in proportion to its entries, not
   * their square (a path that never reached `to` stops at once). Without a
   * path (rows logged before paths were), the probes are ranges of
   * journey_transitions_workflow_state_idx (workflow_id, to_state, at, id),
   * any path's row answering, as such a row pairs with any.
   *
   * Retention folds old moves (retention.repository.ts, pruneJourneyLog),
   * deleting their arrivals: a pair with a fold between that deleted an
   * arrival in `from` or `to` (`pruned_arrivals`, on the move folded into)
   * is left out, not timed from the visit before the one that went. Any
   * path's fold counts, as the log of a journey with rows without a path
   * folds as one line. One more probe per pair timed, on
   * journey_transitions_folded_idx (workflow_id, at, id, of the folded rows
   * only: migration 1767700000000), over the journey's folded moves between
   * the two: the other paths' moves, folded into or not, are not read.
   */
  async intervals(key: string, from: string, to: string, version: number | null, window: { since: string | null; until: string | null } = { since: null, until: null }): Promise<IntervalStats> {
    const [row]: IntervalRow[] = await this.ds.query(INTERVALS_SQL, [key, from, to, version, window.since, window.until]);
    return toIntervalStats(row);
  }
}
