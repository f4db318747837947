/**
 * What a page of held steps with none on it says. The first page with none
 * means nothing is held anywhere; a later one (Next page, or a `?cursor=`
 * reloaded after its steps were retried or skipped) only that nothing is
 * held after the point it starts from: the earlier pages may still hold
 * steps, and on-call reads this page to know what is stuck. Pure.
 */
export function heldEmptyText(laterPage: boolean): string {
  return laterPage
    ? 'Nothing more is held after this point. Earlier pages may still hold steps: First page lists them from the start.'
    : 'Nothing is held: every action either ran or is still retrying on its own.';
}
