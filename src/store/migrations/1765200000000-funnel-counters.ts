import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funnel figures kept as the journey log is written, instead of counted from
 * the whole log on every read (a campaign page's refresh read it four times:
 * 5 s of PostgreSQL's CPU at 300,000 journeys, growing with every journey).
 *
 * - `journey_positions`: per journey, version and state, its paths there now
 *   (arrivals minus departures) and its latest arrival.
 * - `funnel_visits`: who ever arrived in a state, per version and (version
 *   0) over all versions; `(entry)` for entering the campaign.
 * - `funnel_counters`: `entered` (new visits), `current` (journeys whose
 *   paths in a state went from none to some, or back) and `edge`
 *   (transitions) per campaign, version and state or edge. Each is split in
 *   8 shards by journey or user, so concurrent journeys of one campaign seldom
 *   wait on one row's lock; a read sums the shards.
 *
 * TransitionsRepository writes all three in the statement that appends to
 * the log. Pruning the log (retention) leaves them alone: the counts are all
 * time. Backfilled from the log as it stands (shard 0).
 */
export class FunnelCounters1765200000000 implements MigrationInterface {
  name = 'FunnelCounters1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table journey_positions (
        workflow_id text not null,
        campaign_version int not null,
        state text not null,
        campaign_key text not null,
        user_id text not null,
        paths int not null,
        since timestamptz,
        primary key (workflow_id, campaign_version, state)
      )`);
    await q.query(`create index journey_positions_live_idx on journey_positions (campaign_key, since desc nulls last) where paths > 0`);
    await q.query(`
      create table funnel_visits (
        campaign_key text not null,
        campaign_version int not null,
        state text not null,
        user_id text not null,
        primary key (campaign_key, campaign_version, state, user_id)
      )`);
    await q.query(`
      create table funnel_counters (
        campaign_key text not null,
        campaign_version int not null,
        kind text not null check (kind in ('entered', 'current', 'edge')),
        from_state text not null,
        to_state text not null,
        shard smallint not null,
        n bigint not null,
        primary key (campaign_key, campaign_version, kind, from_state, to_state, shard)
      )`);

    await q.query(`
      insert into journey_positions (workflow_id, campaign_version, state, campaign_key, user_id, paths, since)
      select workflow_id, campaign_version, state, min(campaign_key), min(user_id), sum(d), max(at) filter (where d = 1)
        from (select workflow_id, campaign_version, campaign_key, user_id, to_state as state, 1 as d, at from journey_transitions
              union all
              select workflow_id, campaign_version, campaign_key, user_id, from_state, -1, at from journey_transitions where from_state is not null) moves
       group by 1, 2, 3`);
    await q.query(`
      insert into funnel_visits (campaign_key, campaign_version, state, user_id)
      select campaign_key, campaign_version, to_state, user_id from journey_transitions
      union
      select campaign_key, 0, to_state, user_id from journey_transitions
      union
      select campaign_key, 0, '(entry)', user_id from journey_transitions where from_state is null`);
    await q.query(`
      insert into funnel_counters (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
      select campaign_key, campaign_version, 'entered', '', state, 0, count(*) from funnel_visits group by 1, 2, 5
      union all
      select campaign_key, campaign_version, 'current', '', state, 0, count(*) from journey_positions where paths > 0 group by 1, 2, 5
      union all
      select campaign_key, campaign_version, 'edge', coalesce(from_state, '(entry)'), to_state, 0, count(*) from journey_transitions group by 1, 2, 4, 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table funnel_counters`);
    await q.query(`drop table funnel_visits`);
    await q.query(`drop table journey_positions`);
  }
}
