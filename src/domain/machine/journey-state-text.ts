/**
 * The longest JourneyState value Temporal's SQL visibility stores: custom
 * Keyword search attributes are `varchar(255)` columns, counted in
 * characters; a longer value is taken by the workflow but its visibility
 * record then stops being written (review-58-inputs finding 2).
 */
export const MAX_KEYWORD_CHARS = 255;

const chars = (text: string): number => [...text].length;

/**
 * States joined by "," (parallel paths), as many as fit in
 * MAX_KEYWORD_CHARS, then `,…+N` for the N left out; the text as it was when
 * it fits. A single state name is at most 100 characters, so the first
 * always fits.
 */
export function journeyStateText(states: readonly string[]): string {
  const whole = states.join(',');
  if (chars(whole) <= MAX_KEYWORD_CHARS) return whole;
  for (let kept = states.length - 1; kept >= 1; kept--) {
    const text = `${states.slice(0, kept).join(',')},…+${states.length - kept}`;
    if (chars(text) <= MAX_KEYWORD_CHARS) return text;
  }
  return `…+${states.length}`;
}
