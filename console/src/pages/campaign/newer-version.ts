/** What the campaign pointed at: the version new entries use, and the last one saved. */
export interface Pointers {
  activeVersion: number | null;
  latestVersion: number;
}

/**
 * The version the campaign's page opens on without ?version: the active one,
 * else (never activated) the latest.
 */
export const openingVersion = (p: Pointers): number => p.activeVersion ?? p.latestVersion;

/**
 * What to say when the page, opened without ?version, keeps showing `shown`
 * while the campaign now opens on another (saved or activated since), or
 * null when it opens on the one shown.
 */
export function newerVersionWords(shown: number, opened: Pointers, now: Pointers): { version: number; words: string } | null {
  const version = openingVersion(now);
  if (version === shown) return null;
  const how = now.activeVersion !== opened.activeVersion ? 'activated' : 'saved';
  return { version, words: `v${version} was ${how} since this page opened; it still shows v${shown}.` };
}
