import { useEffect, useRef, type RefObject } from 'react';

/**
 * A button disabled while its request runs drops the keyboard focus to the
 * page (the browser's focus fixup), so the next Tab starts at the top. When
 * the request ends with the focus lost that way, it goes to `target`: the
 * line that says how the request ended. One who moved on meanwhile keeps
 * where they are.
 */
export function useFocusAfterBusy(busy: boolean, target: RefObject<HTMLElement | null>): void {
  const wasBusy = useRef(busy);
  useEffect(() => {
    const ended = wasBusy.current && !busy;
    wasBusy.current = busy;
    if (!ended) return;
    const active = document.activeElement;
    if (active === null || active === document.body) target.current?.focus();
  }, [busy, target]);
}
