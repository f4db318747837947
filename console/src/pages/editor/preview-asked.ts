/**
 * A preview's answer belongs to the user, event type and properties it was
 * asked with. It is shown (and its states marked on the canvas) only while
 * the fields still say those: after an edit it would read as the answer to
 * what the fields say now. Pure, unit-tested.
 */

/** The preview's fields as they were when Preview was pressed (the properties as typed). */
export interface PreviewAsked {
  userId: string;
  type: string;
  props: string;
}

export function sameAsk(a: PreviewAsked, b: PreviewAsked): boolean {
  return a.userId === b.userId && a.type === b.type && a.props.trim() === b.props.trim();
}

/** The answer kept (with what it was asked), if it was asked with what the fields say now. */
export function shownPreview<T>(kept: { asked: PreviewAsked; answer: T } | null, fields: PreviewAsked): { asked: PreviewAsked; answer: T } | null {
  return kept && sameAsk(kept.asked, fields) ? kept : null;
}

/** What the answer is for, heading it: "For pia, order.completed {"amount": 25}". */
export function askedWords(asked: PreviewAsked): string {
  const props = asked.props.trim();
  return `For ${asked.userId}, ${asked.type}${props && props !== '{}' ? ` ${props}` : ''}`;
}
