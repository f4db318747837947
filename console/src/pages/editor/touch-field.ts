import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';

/**
 * Tells the editor that the operator left the field at a compiler path, so
 * its issues show there from now on (touched.ts) even if nothing was changed.
 */
export const TouchField = createContext<(path: string) => void>(() => undefined);

export const useTouchField = () => useContext(TouchField);

/**
 * The paths of the fields left so far, and the function that records one.
 * A field left by pressing the mouse elsewhere is recorded once the press is
 * over: redrawing the canvas between the press and the click swallows the
 * click (a state clicked would not be selected).
 */
export function useFieldsLeft(): [string[], (path: string) => void] {
  const [left, setLeft] = useState<string[]>([]);
  const pressing = useRef(false);
  useEffect(() => {
    const down = () => (pressing.current = true);
    const up = () => (pressing.current = false);
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('pointerup', up, true);
    window.addEventListener('pointercancel', up, true);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', up, true);
    };
  }, []);
  const touch = useCallback((path: string) => {
    const record = () => setLeft((l) => (l.includes(path) ? l : [...l, path]));
    // The click comes after pointerup, in the same turn: a timeout started at pointerup runs after it.
    if (pressing.current) window.addEventListener('pointerup', () => setTimeout(record, 0), { once: true });
    else record();
  }, []);
  return [left, touch];
}
