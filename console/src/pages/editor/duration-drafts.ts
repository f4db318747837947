import { createContext, useCallback, useContext, useMemo, useState } from 'react';

/**
 * Duration fields' text that does not read as a duration yet. The campaign
 * keeps the last duration that did, so the compiler goes on reporting every
 * other issue; the text is kept by the editor (not the field), so closing
 * the panel and coming back shows it, and Save refuses until it is fixed.
 */
export interface DurationDraft {
  text: string;
  problem: string;
  /** The field's label, for "Not saved: ..." */
  label: string;
  /** The campaign's value when the draft was typed: a draft whose value changed since (undo) is stale. */
  base: string | undefined;
}

export interface DurationDrafts {
  get: (path: string) => DurationDraft | undefined;
  set: (path: string, draft: DurationDraft | null) => void;
}

export const DurationDraftsContext = createContext<DurationDrafts>({ get: () => undefined, set: () => undefined });

export const useDurationDrafts = () => useContext(DurationDraftsContext);

/** The drafts as issues at their paths (shown at the field and counted in the badge), and the context's value. */
export function useDurationDraftState(): { drafts: Record<string, DurationDraft>; api: DurationDrafts; issues: Array<{ path: string; message: string }> } {
  const [drafts, setDrafts] = useState<Record<string, DurationDraft>>({});
  const set = useCallback(
    (path: string, draft: DurationDraft | null) =>
      setDrafts((d) => {
        if (draft === null) {
          if (!(path in d)) return d;
          const rest = { ...d };
          delete rest[path];
          return rest;
        }
        const was = d[path];
        return was && was.text === draft.text && was.base === draft.base ? d : { ...d, [path]: draft };
      }),
    [],
  );
  const api = useMemo(() => ({ get: (path: string) => drafts[path], set }), [drafts, set]);
  const issues = useMemo(() => Object.entries(drafts).map(([path, d]) => ({ path, message: d.problem })), [drafts]);
  return { drafts, api, issues };
}
