import { useEffect, useRef } from 'react';

/**
 * Calls `reload` when `mark` changes from one it had (null: not known yet):
 * what is shown stays while the new answer comes, unlike a change of
 * useApi's deps, which clears it.
 */
export function useReloadOnChange(mark: string | null, reload: () => void): void {
  const seen = useRef(mark);
  useEffect(() => {
    if (seen.current === mark || mark === null) return;
    const had = seen.current;
    seen.current = mark;
    if (had !== null) reload();
  }, [mark, reload]);
}
