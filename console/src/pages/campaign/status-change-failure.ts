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
  /** The active version on the screen when the change was sent: a pause or an archive keeps it (and takes no precondition). */
  activeVersion: number | null;
}

export function storedUntold(error: unknown, what: StatusAction, version: number, activeVersion: number | null): StoredUntold | null {
  if (!(error instanceof KairosApiError) || error.status !== 503 || error.body?.error.code !== 'temporal_unavailable') return null;
  return { what, version, activeVersion };
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

type Now = { status: Status; activeVersion: number | null };

/**
 * Whether sending the stored change again is the remedy: only while the
 * campaign, as read since, is what that change made it: the activation's
 * version active, or paused or archived at the active version it was sent
 * from. After another change landed (a resume and a pause again, another
 * version activated), the 503 itself says not to send it again (it would
 * undo that one). A pause or archive is sent with no precondition, so the
 * page reads the campaign just before sending one again and asks this of
 * that read, not only of the page's last one.
 */
export function resendable(stored: StoredUntold, now: Now): boolean {
  if (now.status !== OUTCOME[stored.what]) return false;
  return now.activeVersion === (stored.what === 'activate' ? stored.version : stored.activeVersion);
}

/** Said where Send again was, when the campaign read just before sending again is no longer what the change made it. */
export function changedSinceWords(stored: StoredUntold, now: Now): string {
  const active = now.activeVersion === null ? 'no version active' : `v${now.activeVersion} active`;
  return `The campaign changed since: it is now ${now.status}, ${active}. The ${stored.what} was not sent again: it would undo that change.`;
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
  const at = stored.activeVersion === null ? '' : ` at v${stored.activeVersion}`;
  return `Kairos stored it: the campaign is ${OUTCOME[stored.what]}${at}. Send again reads the campaign first and has Kairos tell Temporal again only while it is still ${OUTCOME[stored.what]}${at}.`;
}
