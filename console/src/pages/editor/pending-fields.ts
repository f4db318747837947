import { createContext, useCallback, useContext, useEffect, useId, useState } from 'react';

/**
 * Fields whose typed text applies only when the field is left (CommitField)
 * and is not applied yet. Meanwhile the campaign may equal the version
 * saved, and Save must not say "Saved" or be disabled: pressing it leaves
 * the field, which applies the text, and the click then saves it.
 */
const PendingFields = createContext<(id: string, pending: boolean) => void>(() => undefined);

export const PendingFieldsProvider = PendingFields.Provider;

/** How many fields hold text not applied yet, and the function fields report through. */
export function usePendingFieldsState(): [number, (id: string, pending: boolean) => void] {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const report = useCallback(
    (id: string, now: boolean) =>
      setPending((s) => {
        if (s.has(id) === now) return s;
        const next = new Set(s);
        if (now) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  return [pending.size, report];
}

/** Reports whether this field's text differs from the value it would apply. */
export function useReportPending(pending: boolean): void {
  const id = useId();
  const report = useContext(PendingFields);
  useEffect(() => {
    report(id, pending);
    return () => report(id, false);
  }, [id, pending, report]);
}
