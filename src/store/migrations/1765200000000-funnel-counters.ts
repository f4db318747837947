import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FUNNEL_FROM_LOG } from '../funnel-from-log';

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
 * time. Backfilled from the log as it stands (FUNNEL_FROM_LOG, shard 0).
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

    for (const statement of FUNNEL_FROM_LOG) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table funnel_counters`);
    await q.query(`drop table funnel_visits`);
    await q.query(`drop table journey_positions`);
  }
}
