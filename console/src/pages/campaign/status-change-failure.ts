import { KairosApiError } from '../../api';

export type StatusAction = 'activate' | 'pause' | 'archive';
type Status = 'draft' | 'active' | 'paused' | 'archived';

/**
 * A status change Kairos stored although Temporal did not take its news
 * (503 `temporal_unavailable`: the running journeys not told, or the
 * batch-entry schedule not updated). Its message asks for the same request
 * again; the sweep does not redo a failed telling, so the page must offer it.
 */
export interface StoredUntold {
  what: StatusAction;
  /** The version an activation named. */
  version: number;
}

export function storedUntold(error: unknown, what: StatusAction, version: number): StoredUntold | null {
  if (!(error instanceof KairosApiError) || error.status !== 503 || error.body?.error.code !== 'temporal_unavailable') return null;
  return { what, version };
}

/**
 * A failed change after which the page reads the campaign again at once: a
 * 409 names what it is now, and a 5xx or a lost answer may have been stored
 * (a 503 says so), so the old status is not left on screen beside it.
 */
export function readAgainAfter(error: unknown): boolean {
  return !(error instanceof KairosApiError) || error.status === 409 || error.status >= 500;
}

const OUTCOME: Record<StatusAction, Status> = { activate: 'active', pause: 'paused', archive: 'archived' };

/**
 * Whether sending the stored change again is the remedy: only while the
 * campaign, as read since, is what that change made it. After another change
 * landed, the 503 itself says not to send it again (it would undo that one).
 */
export function resendable(stored: StoredUntold, now: { status: Status; activeVersion: number | null }): boolean {
  if (now.status !== OUTCOME[stored.what]) return false;
  return stored.what !== 'activate' || now.activeVersion === stored.version;
}

/**
 * The activation sent again, from the campaign as it is now: only while that
 * version is still the active one, so a pause or another activation that
 * lands meanwhile is a 409 rather than undone. Kairos takes an activation of
 * the active version as a resume and tells the running journeys again when
 * another version that took entries ends otherwise (CampaignsService.activate).
 */
export function activateAgainBody(stored: StoredUntold): { version: number; ifStatus: ['active']; ifActiveVersion: number } {
  return { version: stored.version, ifStatus: ['active'], ifActiveVersion: stored.version };
}

/** Said beside Send again: what is stored, and what sending it again does. */
export function resendNote(stored: StoredUntold): string {
  if (stored.what === 'activate') return `Kairos stored it: v${stored.version} is active. Send again has Kairos tell Temporal again, and only while v${stored.version} is still the active version.`;
  return `Kairos stored it: the campaign is ${OUTCOME[stored.what]}. Send again has Kairos tell Temporal again.`;
}
