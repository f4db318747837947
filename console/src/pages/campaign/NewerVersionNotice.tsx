import { useEffect, useState } from 'react';
import { href, Link } from '../../router';
import { newerVersionWords, type Pointers } from './newer-version';

/**
 * What the campaign `key` pointed at when the page first read it, kept for as
 * long as the page is open on that campaign; null until read. Only an answer
 * about `key` counts: the one shown just after another campaign's page is
 * still that one's.
 */
export function useOpenedWith(key: string, now: (Pointers & { key: string }) | undefined): Pointers | null {
  const [opened, setOpened] = useState<{ key: string; at: Pointers } | null>(null);
  const read = now && now.key === key ? { activeVersion: now.activeVersion, latestVersion: now.latestVersion } : null;
  const kept = opened?.key === key ? opened.at : null;
  useEffect(() => {
    if (read && kept === null) setOpened({ key, at: read });
  }, [key, read, kept]);
  return kept ?? read;
}

/** Another version saved or activated since the page opened without ?version: said, with the way to it, never switched to. */
export function NewerVersionNotice({ campaignKey, shown, opened, now }: { campaignKey: string; shown: number; opened: Pointers; now: Pointers }) {
  const newer = newerVersionWords(shown, opened, now);
  if (!newer) return null;
  return (
    <p className="notice" role="status" data-testid="newer-version">
      {newer.words} <Link to={href.campaign(campaignKey, newer.version)}>Show v{newer.version}</Link>
    </p>
  );
}
