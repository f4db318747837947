import type { DataSource } from 'typeorm';
import { notAnEndState } from './end-state-sql';

export interface LiveJourney {
  userId: string;
  workflowId: string;
  version: number;
  /** A state the journey has a path in now. */
  state: string;
  /** When the latest arrival into that state was logged. */
  since: string;
}

/**
 * Journeys of a campaign with a path in a waiting state now, from the
 * positions kept with the journey log (migration 1765200000000), the ones
 * the funnel's `current` counts (end states and `(exited)` left out), so
 * the list agrees with the counts on the campaign page. Latest arrivals
 * first. A position with no arrival time (a departure taken back by a
 * rewrite whose arrival a worker from before the counters never counted)
 * is left out: it has no `since` to show, and waits for `funnel:rebuild`.
 */
export class LiveJourneysRepository {
  constructor(private readonly ds: DataSource) {}

  async live(key: string, limit: number): Promise<LiveJourney[]> {
    const rows: Array<{ user_id: string; workflow_id: string; version: number; state: string; since: Date }> = await this.ds.query(
      `select p.user_id, p.workflow_id, p.campaign_version as version, p.state, p.since
         from journey_positions p join campaign_versions v on v.campaign_key = $1 and v.version = p.campaign_version
        where p.campaign_key = $1 and p.paths > 0 and p.state <> '(exited)' and p.since is not null
          and ${notAnEndState('v', 'p.state')}
        order by p.since desc nulls last, p.user_id, p.state
        limit $2`,
      [key, limit],
    );
    return rows.map((r) => ({ userId: r.user_id, workflowId: r.workflow_id, version: r.version, state: r.state, since: r.since.toISOString() }));
  }
}
