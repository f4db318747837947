import { createContext, useCallback, useContext, useEffect, useId, useMemo, useState } from 'react';

/**
 * Fields whose typed text applies only when the field is left (CommitField)
 * and is not applied yet. Meanwhile the campaign may equal the version
 * saved, and Save must not say "Saved" or be disabled: pressing it leaves
 * the field, which applies the text, and the click then saves it.
 *
 * Text whose apply was refused (a state name that is taken, or has a space)
 * stays in its field, not in the campaign: Save must refuse then, naming the
 * field, or it would say "Saved" over a campaign without it. A refusal is
 * reported from the blur or Enter that tried it, not from an effect, so it
 * is in the editor's state before the click on Save that left the field.
 */
export interface RefusedText {
  /** The field's label, for "Not saved: ..." */
  label: string;
  text: string;
  /** Why it was not applied, as the field shows it. */
  why: string;
}

interface FieldReports {
  pending: (id: string, pending: boolean) => void;
  refused: (id: string, refused: RefusedText | null) => void;
}

const PendingFields = createContext<FieldReports>({ pending: () => undefined, refused: () => undefined });

export const PendingFieldsProvider = PendingFields.Provider;

/** How many fields hold text not applied yet, the texts refused among them, and what fields report through. */
export function usePendingFieldsState(): { typing: number; refused: RefusedText[]; reports: FieldReports } {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [refusedById, setRefused] = useState<Readonly<Record<string, RefusedText>>>({});
  const pendingReport = useCallback(
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
  const refusedReport = useCallback((id: string, refused: RefusedText | null) => setRefused((r) => withRefusal(r, id, refused)), []);
  const reports = useMemo(() => ({ pending: pendingReport, refused: refusedReport }), [pendingReport, refusedReport]);
  const refused = useMemo(() => Object.values(refusedById), [refusedById]);
  return { typing: pending.size, refused, reports };
}

/** The refusals with this field's set or cleared (the same object when nothing changes, so no render follows). */
export function withRefusal(all: Readonly<Record<string, RefusedText>>, id: string, refused: RefusedText | null): Readonly<Record<string, RefusedText>> {
  const was = all[id];
  if (refused === null) {
    if (!was) return all;
    const rest = { ...all };
    delete rest[id];
    return rest;
  }
  if (was && was.label === refused.label && was.text === refused.text && was.why === refused.why) return all;
  return { ...all, [id]: refused };
}

/** "State name "vip users" was not applied (a state vip users …)": one item of Save's "Not saved: …". */
export const refusedTextWords = (r: RefusedText): string => `${r.label} "${r.text}" was not applied (${r.why})`;

/**
 * Reports whether this field's text differs from the value it would apply,
 * and gives the function that reports, at once, whether its last apply was
 * refused (cleared when the field goes).
 */
export function useReportPending(pending: boolean): (refused: RefusedText | null) => void {
  const id = useId();
  const reports = useContext(PendingFields);
  useEffect(() => {
    reports.pending(id, pending);
    return () => reports.pending(id, false);
  }, [id, pending, reports]);
  useEffect(() => () => reports.refused(id, null), [id, reports]);
  return useCallback((refused: RefusedText | null) => reports.refused(id, refused), [id, reports]);
}
