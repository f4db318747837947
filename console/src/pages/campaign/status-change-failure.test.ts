import { KairosApiError } from '../../api';
import { activateAgainBody, changedSinceWords, readAgainAfter, resendable, resendNote, storedUntold } from './status-change-failure';

const answer = (status: number, code: string) => new KairosApiError(status, { error: { code, message: 'm', details: [] } });

describe('a status change that failed (review-59-console, finding 1)', () => {
  it('a 503 temporal_unavailable is a change stored with its news not taken; any other failure is not', () => {
    expect(storedUntold(answer(503, 'temporal_unavailable'), 'activate', 3, 2)).toEqual({ what: 'activate', version: 3, activeVersion: 2 });
    expect(storedUntold(answer(503, 'postgres_unavailable'), 'activate', 3, 2)).toBeNull();
    expect(storedUntold(answer(409, 'active_version_changed'), 'activate', 3, 2)).toBeNull();
    expect(storedUntold(new TypeError('Failed to fetch'), 'archive', 3, 2)).toBeNull();
  });

  it('the campaign is read again after a 409, a 5xx or a lost answer, not after a refusal of the request itself', () => {
    expect([409, 500, 502, 503].map((s) => readAgainAfter(answer(s, 'x')))).toEqual([true, true, true, true]);
    expect(readAgainAfter(new TypeError('Failed to fetch'))).toBe(true);
    expect([400, 403, 404].map((s) => readAgainAfter(answer(s, 'x')))).toEqual([false, false, false]);
  });

  it('is sent again only while the campaign is what the change made it, the activation only while its version is active', () => {
    const activated = { what: 'activate' as const, version: 3, activeVersion: 2 };
    expect(resendable(activated, { status: 'active', activeVersion: 3 })).toBe(true);
    expect(resendable(activated, { status: 'active', activeVersion: 2 })).toBe(false);
    expect(resendable(activated, { status: 'paused', activeVersion: 3 })).toBe(false);
    expect(resendable({ what: 'archive', version: 3, activeVersion: 2 }, { status: 'archived', activeVersion: 2 })).toBe(true);
    expect(resendable({ what: 'archive', version: 3, activeVersion: null }, { status: 'archived', activeVersion: null })).toBe(true);
    expect(resendable({ what: 'archive', version: 3, activeVersion: 2 }, { status: 'active', activeVersion: 2 })).toBe(false);
    expect(resendable({ what: 'pause', version: 3, activeVersion: 2 }, { status: 'paused', activeVersion: 2 })).toBe(true);
  });

  it('a pause or an archive is sent again only at the active version it was sent from (review-59-diff, finding 4)', () => {
    // Resumed and paused again at another version since: still paused, but not by this change.
    const paused = { what: 'pause' as const, version: 1, activeVersion: 1 };
    expect(resendable(paused, { status: 'paused', activeVersion: 2 })).toBe(false);
    expect(resendable({ what: 'archive', version: 1, activeVersion: 1 }, { status: 'archived', activeVersion: 2 })).toBe(false);
    expect(changedSinceWords(paused, { status: 'active', activeVersion: 1 })).toBe('The campaign changed since: it is now active, v1 active. The pause was not sent again: it would undo that change.');
    expect(changedSinceWords({ what: 'archive', version: 1, activeVersion: null }, { status: 'draft', activeVersion: null })).toBe(
      'The campaign changed since: it is now draft, no version active. The archive was not sent again: it would undo that change.',
    );
    expect(resendNote(paused)).toBe('Kairos stored it: the campaign is paused at v1. Send again reads the campaign first and has Kairos tell Temporal again only while it is still paused at v1.');
  });

  it('the activation sent again holds only while that version is the active one', () => {
    expect(activateAgainBody({ what: 'activate', version: 3, activeVersion: 2 })).toEqual({ version: 3, ifStatus: ['active'], ifActiveVersion: 3 });
  });
});
