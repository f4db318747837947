import type { DataSource, EntityManager } from 'typeorm';

/**
 * The funnel's tables (migration 1765200000000) filled from the journey log
 * as it stands: what the migration does once, and what a rebuild does again.
 * Counters go to shard 0; the log write adds to any shard.
 */
export const FUNNEL_FROM_LOG: readonly string[] = [
  `insert into journey_positions (workflow_id, campaign_version, state, campaign_key, user_id, paths, since)
      select workflow_id, campaign_version, state, min(campaign_key), min(user_id), sum(d), max(at) filter (where d = 1)
        from (select workflow_id, campaign_version, campaign_key, user_id, to_state as state, 1 as d, at from journey_transitions
              union all
              select workflow_id, campaign_version, campaign_key, user_id, from_state, -1, at from journey_transitions where from_state is not null) moves
       group by 1, 2, 3`,
  `insert into funnel_visits (campaign_key, campaign_version, state, user_id)
      select campaign_key, campaign_version, to_state, user_id from journey_transitions
      union
      select campaign_key, 0, to_state, user_id from journey_transitions
      union
      select campaign_key, 0, '(entry)', user_id from journey_transitions where from_state is null`,
  `insert into funnel_counters (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
      select campaign_key, campaign_version, 'entered', '', state, 0, count(*) from funnel_visits group by 1, 2, 5
      union all
      select campaign_key, campaign_version, 'current', '', state, 0, count(*) from journey_positions where paths > 0 group by 1, 2, 5
      union all
      select campaign_key, campaign_version, 'edge', coalesce(from_state, '(entry)'), to_state, 0, count(*) from journey_transitions group by 1, 2, 4, 5`,
];

/**
 * Empties the funnel's tables and fills them again from the log, in one
 * transaction. For a log written by processes that did not keep the
 * counters (a rolling upgrade from before them): run it once every process
 * runs a version that keeps them. The tables are locked first, so a log
 * write that keeps them waits and then adds to the rebuilt figures; journeys
 * pause their log writes for as long as it takes (about 10 s per 300,000
 * journeys). REPEATABLE READ: the three statements read one snapshot of the
 * log (taken after the locks), so a retention batch that folds moves while
 * they run is in all of them or in none; it only inserts into the tables it
 * holds locked, so it never meets a serialization failure.
 */
export async function rebuildFunnel(ds: DataSource): Promise<void> {
  await ds.transaction('REPEATABLE READ', async (tx: EntityManager) => {
    await tx.query(`lock table journey_positions, funnel_visits, funnel_counters in access exclusive mode`);
    await tx.query(`truncate journey_positions, funnel_visits, funnel_counters`);
    for (const statement of FUNNEL_FROM_LOG) await tx.query(statement);
  });
}
