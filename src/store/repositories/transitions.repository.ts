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

export class TransitionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends one transition; a retry with the same key is a no-op. Returns whether a row was written. */
  async record(t: TransitionRecord): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `insert into journey_transitions
         (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (idempotency_key) do nothing
       returning id`,
      [t.idempotencyKey, t.campaignKey, t.campaignVersion, t.userId, t.workflowId, t.fromState, t.toState, t.at, t.cause],
    );
    return rows.length > 0;
  }

  async forUser(campaignKey: string, userId: string): Promise<TransitionRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause
         from journey_transitions where campaign_key = $1 and user_id = $2 order by at, id`,
      [campaignKey, userId],
    );
    return rows.map((r) => ({
      idempotencyKey: r.idempotency_key as string,
      campaignKey: r.campaign_key as string,
      campaignVersion: r.campaign_version as number,
      userId: r.user_id as string,
      workflowId: r.workflow_id as string,
      fromState: r.from_state as string | null,
      toState: r.to_state as string,
      at: (r.at as Date).toISOString(),
      cause: r.cause as string,
    }));
  }
}
