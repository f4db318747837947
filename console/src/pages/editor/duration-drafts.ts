import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';

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
  /**
   * Save's words for it when it is not a duration (an emptied condition, a cleared weight: drafts of their own
   * kind, kept here so Save refuses them the same way); without it, "<label> does not read as a duration yet".
   */
  unapplied?: string;
  /**
   * What held the duration when the draft was typed: the transition whose wait it is, or a campaign-wide
   * duration's value. A path alone would hand the draft to whatever comes to sit there (the next transition,
   * once one before it is deleted).
   */
  holder: unknown;
  /** The holder in a definition: another one (or none) means the draft's field went away, or changed elsewhere (undo). */
  findHolder: (def: CampaignInput) => unknown;
}

export interface DurationDrafts {
  get: (path: string) => DurationDraft | undefined;
  set: (path: string, draft: DurationDraft | null) => void;
}

export const DurationDraftsContext = createContext<DurationDrafts>({ get: () => undefined, set: () => undefined });

export const useDurationDrafts = () => useContext(DurationDraftsContext);

/** The drafts whose field is still there in `def` (the same object when all are). */
export function draftsStillHeld(drafts: Record<string, DurationDraft>, def: CampaignInput): Record<string, DurationDraft> {
  const kept = Object.entries(drafts).filter(([, d]) => d.findHolder(def) === d.holder);
  return kept.length === Object.keys(drafts).length ? drafts : Object.fromEntries(kept);
}

/** The drafts as issues at their paths (shown at the field and counted in the badge), and the context's value. */
export function useDurationDraftState(def: CampaignInput): { drafts: Record<string, DurationDraft>; api: DurationDrafts; issues: Array<{ path: string; message: string }> } {
  const [stored, setDrafts] = useState<Record<string, DurationDraft>>({});
  // Read as of this definition at once, and forgotten afterwards: a redo must not bring back a draft whose field went away.
  const drafts = useMemo(() => draftsStillHeld(stored, def), [stored, def]);
  useEffect(() => setDrafts((d) => draftsStillHeld(d, def)), [def]);
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
        return was && was.text === draft.text && was.holder === draft.holder ? d : { ...d, [path]: draft };
      }),
    [],
  );
  const api = useMemo(() => ({ get: (path: string) => drafts[path], set }), [drafts, set]);
  const issues = useMemo(() => Object.entries(drafts).map(([path, d]) => ({ path, message: d.problem })), [drafts]);
  return { drafts, api, issues };
}
