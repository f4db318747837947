import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live journeys list (GET /v1/campaigns/:key/journeys) reads, for each
 * waiting state of each version, the latest arrivals there. By
 * (campaign, version, state) it probes each such state for at most `limit`
 * rows: the campaign-wide index it had walked every ended journey's position
 * too (end states and `(exited)` keep paths > 0 for good), on every request.
 */
export class WaitingPositionsIndex1766000000000 implements MigrationInterface {
  name = 'WaitingPositionsIndex1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create index journey_positions_waiting_idx on journey_positions (campaign_key, campaign_version, state, since desc, user_id)
        where paths > 0 and since is not null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_positions_waiting_idx`);
  }
}
