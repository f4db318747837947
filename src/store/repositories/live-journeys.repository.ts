import type { DataSource } from 'typeorm';

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
 * Journeys of a campaign with a path in a waiting state now, from the journey
 * log, counted the way the funnel's `current` is (arrivals minus departures
 * per journey and state; end states and `(exited)` left out), so the list
 * agrees with the counts on the campaign page. Latest arrivals first.
 */
export class LiveJourneysRepository {
  constructor(private readonly ds: DataSource) {}

  async live(key: string, limit: number): Promise<LiveJourney[]> {
    const rows: Array<{ user_id: string; workflow_id: string; version: number; state: string; since: Date }> = await this.ds.query(
      `with t as (
         select * from journey_transitions where campaign_key = $1
       ), net as (
         select workflow_id, user_id, campaign_version, state, sum(d) as n, max(at) filter (where d = 1) as since from (
           select workflow_id, user_id, campaign_version, to_state as state, 1 as d, at from t
           union all
           select workflow_id, user_id, campaign_version, from_state, -1, at from t where from_state is not null
         ) moves group by 1, 2, 3, 4
       )
       select net.user_id, net.workflow_id, net.campaign_version as version, net.state, net.since
         from net join campaign_versions v on v.campaign_key = $1 and v.version = net.campaign_version
        where net.n > 0 and net.state <> '(exited)'
          and coalesce(v.definition #>> array['states', net.state, 'end'], 'false') <> 'true'
        order by net.since desc, net.user_id, net.state
        limit $2`,
      [key, limit],
    );
    return rows.map((r) => ({ userId: r.user_id, workflowId: r.workflow_id, version: r.version, state: r.state, since: r.since.toISOString() }));
  }
}
