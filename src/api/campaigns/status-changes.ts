import type { CampaignRow, CampaignStatus } from '../../store/repositories/campaigns.repository';

/** How long one Temporal call of a status change (the request's or the sweep's) may take; a request then answers 503, its change stored. */
export const TEMPORAL_CALL_MS = 10_000;

export type StatusAction = 'activate' | 'pause' | 'archive';

/**
 * Which statuses each action may start from. Repeating pause or archive is
 * a no-op rather than an error (a client retrying after a timeout must not
 * get a 409); activating an active campaign switches its version. Archived
 * is final: running journeys no longer get events, so reviving it would
 * resume journeys that missed them.
 */
export const STATUS_CHANGES: Record<StatusAction, { to: CampaignStatus; from: readonly CampaignStatus[] }> = {
  activate: { to: 'active', from: ['draft', 'active', 'paused'] },
  pause: { to: 'paused', from: ['active', 'paused'] },
  archive: { to: 'archived', from: ['draft', 'active', 'paused', 'archived'] },
};

/**
 * The statuses `action` may start from in one request: STATUS_CHANGES's,
 * narrowed to the client's precondition (`ifStatus` of an activation) when
 * it names one. Passed to the repository's compare-and-set, so a change
 * that lands between the service's check and the update is refused too.
 */
export function allowedFrom(action: StatusAction, ifStatus?: readonly CampaignStatus[]): readonly CampaignStatus[] {
  const from = STATUS_CHANGES[action].from;
  return ifStatus === undefined ? from : from.filter((status) => ifStatus.includes(status));
}

/** The same status and active version: what a campaign's Schedule and archive notice follow. */
export const sameStatus = (a: CampaignRow, b: CampaignRow): boolean => a.status === b.status && a.activeVersion === b.activeVersion;

/**
 * Whether an activation of `version` meets its `ifActiveVersion`: that
 * version is the active one; or the campaign is active at `version` already,
 * which this request would not switch: it is sent again (its first answer
 * lost, or a 503 that asked for it), and it resumes or tells the running
 * journeys again, guarded under the lock as such (whileActive). A client
 * retrying after a timeout must not get a 409 about its own activation.
 */
export const activeVersionHolds = (campaign: Pick<CampaignRow, 'status' | 'activeVersion'>, version: number, ifActiveVersion: number | null): boolean =>
  campaign.activeVersion === ifActiveVersion || (campaign.status === 'active' && campaign.activeVersion === version);
