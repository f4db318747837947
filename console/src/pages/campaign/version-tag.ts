/**
 * What a version is to its campaign, beside its number in pickers and
 * panels: the version the campaign points at reads as its status says (a
 * paused or archived campaign's version takes no entries), others nothing.
 */
export function versionTag(version: number, campaign: { activeVersion: number | null; status: string }): string {
  if (version !== campaign.activeVersion) return '';
  if (campaign.status === 'paused') return ' (active, paused)';
  if (campaign.status === 'archived') return ' (last active; archived)';
  return ' (active)';
}
