import { newerVersionWords, openingVersion } from './newer-version';

describe('the campaign page opened without a version', () => {
  it('opens on the active version, else the latest', () => {
    expect(openingVersion({ activeVersion: 2, latestVersion: 4 })).toBe(2);
    expect(openingVersion({ activeVersion: null, latestVersion: 4 })).toBe(4);
  });

  it('says a version saved since on a draft, or activated since, and names what it still shows', () => {
    expect(newerVersionWords(1, { activeVersion: null, latestVersion: 1 }, { activeVersion: null, latestVersion: 2 })).toEqual({ version: 2, words: 'v2 was saved since this page opened; it still shows v1.' });
    expect(newerVersionWords(1, { activeVersion: 1, latestVersion: 2 }, { activeVersion: 2, latestVersion: 2 })).toEqual({ version: 2, words: 'v2 was activated since this page opened; it still shows v1.' });
  });

  it('says nothing while the campaign opens on the version shown: another saved beside an active one, or this one activated', () => {
    expect(newerVersionWords(1, { activeVersion: 1, latestVersion: 1 }, { activeVersion: 1, latestVersion: 3 })).toBeNull();
    expect(newerVersionWords(1, { activeVersion: null, latestVersion: 1 }, { activeVersion: 1, latestVersion: 1 })).toBeNull();
  });
});
