import { useCallback, useEffect, useRef } from 'react';

/** Where the focus goes after a removal: the element, or nothing when there is none to go to. */
export type FocusTarget = () => HTMLElement | null | undefined;

/**
 * A button that removes what it belongs to (Delete state, Remove step)
 * goes with it, the keyboard focus in it: the browser drops the focus to the
 * page, and the next Tab starts at the top bar, far from where the operator
 * was. Called before such a removal, the function this gives sends the focus,
 * once the component has drawn the removal, where `target` says then (the row
 * that took the removed one's place, the list's Add control, the canvas). Only
 * a focus lost that way moves: one that went elsewhere meanwhile stays.
 */
export function useFocusAfterRemoval(): (target: FocusTarget) => void {
  const pending = useRef<{ target: FocusTarget; at: number } | null>(null);
  // After every drawing of the component: the one that removed the row is the next (a removal refused draws its reason).
  useEffect(() => {
    const asked = pending.current;
    if (!asked) return;
    pending.current = null;
    const active = document.activeElement;
    if (Date.now() - asked.at < 1000 && (active === null || active === document.body)) asked.target()?.focus();
  });
  return useCallback((target: FocusTarget) => {
    pending.current = { target, at: Date.now() };
  }, []);
}

/** The first field or button in `box` that takes the keyboard's focus (a CodeMirror cell is a contenteditable). */
export function firstFocusable(box: Element | null | undefined): HTMLElement | null {
  return box?.querySelector<HTMLElement>('input:not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled), [contenteditable="true"], a[href], [tabindex]:not([tabindex="-1"])') ?? null;
}
