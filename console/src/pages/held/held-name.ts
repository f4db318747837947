/** What a held step's row names it by. */
interface Named {
  campaign: string;
  userId: string;
  workflowId: string;
  pathId: string;
  stepId: string;
}

/**
 * Whether the journey of `h` holds its step on more than one path of those
 * listed (a parallel journey's paths run the same states): only its path then
 * tells the rows apart.
 */
export function heldOnSeveralPaths(h: Named, listed: readonly Named[]): boolean {
  return listed.some((o) => o.workflowId === h.workflowId && o.stepId === h.stepId && o.pathId !== h.pathId);
}

/**
 * A held step in words, for its Retry and Skip buttons and the Skip's
 * confirm: "rewarded.0 for u-42 in spring". Step ids come from state names,
 * so they repeat across campaigns (and across a parallel journey's paths):
 * without the campaign (and the path, when it tells rows apart) two rows'
 * buttons had one name, and a screen-reader or voice-control user could not
 * tell which journey a Skip, which cannot be undone, was for. Pure.
 */
export function heldStepName(h: Named, listed: readonly Named[]): string {
  return `${h.stepId} for ${h.userId} in ${h.campaign}${heldOnSeveralPaths(h, listed) ? ` on path ${h.pathId}` : ''}`;
}
