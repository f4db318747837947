import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { joinPath } from '../../../../src/domain/issues';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { TransitionInput } from '../../../../src/domain/canvas/definition-edits';

/**
 * Text typed in a field that cannot go into the campaign yet: a duration
 * that does not read as one, an emptied `when`, a cleared split weight. The
 * campaign keeps the last value that did, so the compiler goes on reporting
 * every other issue; the text is kept by the editor (not the field), so
 * closing the panel and coming back shows it, and Save refuses until it is
 * fixed.
 */
interface DraftText {
  text: string;
  problem: string;
  /** The field's label, for "Not saved: ..." */
  label: string;
  /**
   * Save's words for it when it is not a duration (an emptied condition, a cleared weight: drafts of their own
   * kind, kept here so Save refuses them the same way); without it, "<label> does not read as a duration yet".
   */
  unapplied?: string;
}

/**
 * A campaign-wide duration's draft: it holds while the definition has the value it was typed over. A path alone
 * would hand the draft to a value set elsewhere (undo, the JSON or YAML tab).
 */
export interface ValueDraft extends DraftText {
  holder: unknown;
  /** The holder in a definition: another one (or none) means the draft's field went away, or changed elsewhere (undo). */
  findHolder: (def: CampaignInput) => unknown;
}

/** The field of a transition a draft is typed in: its wait, its `when`, or one split branch's weight. */
export type TransitionField = { kind: 'after' } | { kind: 'when' } | { kind: 'weight'; branch: number };

/** Where a transition sits: its state and its place in the state's order. */
export interface TransitionPlace {
  state: string;
  index: number;
}

/**
 * A draft in a transition's field. It belongs to the transition object, not to a path: it follows the transition
 * to another place in its state's order (Move earlier/later, a deletion before it), and to the object the panel
 * replaces it with when another field of it is edited (draftsCarried). A path alone would hand it to whatever
 * comes to sit there; the object alone would drop it at the panel's next edit, and Save would store the value
 * the draft was typed to replace.
 */
export interface TransitionDraft extends DraftText {
  transition: TransitionInput;
  field: TransitionField;
  /** Where the transition sat when last seen: the draft's path and Save's words name it. */
  place: TransitionPlace;
}

export type DurationDraft = ValueDraft | TransitionDraft;

const inTransition = (d: DurationDraft): d is TransitionDraft => 'transition' in d;

/** A branch's new number once the panel has edited the split (null: that branch is gone). */
export type BranchMap = (branch: number) => number | null;

/** The branches' numbers once branch `removed` is gone: the ones after it move up one. */
export const withoutBranch =
  (removed: number): BranchMap =>
  (branch) =>
    branch < removed ? branch : branch === removed ? null : branch - 1;

export interface DurationDrafts {
  get: (path: string) => DurationDraft | undefined;
  set: (path: string, draft: DurationDraft | null) => void;
  /** The drafts of transition `from` go to `to`, the object the panel replaced it with (branches renumbered by `branchOf`). */
  carry: (from: TransitionInput, to: TransitionInput, branchOf?: BranchMap) => void;
}

export const DurationDraftsContext = createContext<DurationDrafts>({ get: () => undefined, set: () => undefined, carry: () => undefined });

export const useDurationDrafts = () => useContext(DurationDraftsContext);

/** `states.<state>.transitions[<index>]`: the compiler's path of a transition. */
export const transitionPath = ({ state, index }: TransitionPlace) => joinPath(joinPath(joinPath('states', state), 'transitions'), index);

/** The compiler's path of a transition's field: where its draft's problem is shown. */
export function transitionFieldPath(place: TransitionPlace, field: TransitionField): string {
  const at = transitionPath(place);
  return field.kind === 'weight' ? joinPath(joinPath(joinPath(at, 'split'), field.branch), 'weight') : joinPath(at, field.kind);
}

/** Whether the transition has the field (a wait, a `when`, that branch) a draft can stand for. */
function holdsField(t: TransitionInput, field: TransitionField): boolean {
  if (field.kind === 'weight') return t.split !== undefined && field.branch >= 0 && field.branch < t.split.length;
  return t[field.kind] !== undefined;
}

/** Save's words and the label for a transition's draft at this place (they name the transition by its place). */
function transitionDraftWords(field: TransitionField, place: TransitionPlace, label: string): Pick<DraftText, 'label' | 'unapplied'> {
  const which = `transition ${place.index + 1} of ${place.state}`;
  switch (field.kind) {
    case 'after':
      return { label };
    case 'when':
      return { label: 'Condition (when)', unapplied: `the condition (when) of ${which} is empty` };
    case 'weight':
      return { label: `Branch ${field.branch + 1} weight`, unapplied: `the weight of branch ${field.branch + 1} of ${which} is empty` };
  }
}

/** The draft of a transition's field with its path; label and Save's words follow from the field and the place. */
export function transitionDraft(
  at: { transition: TransitionInput; place: TransitionPlace; field: TransitionField },
  typed: { text: string; problem: string; label?: string },
): [string, TransitionDraft] {
  const { transition, place, field } = at;
  return [transitionFieldPath(place, field), { text: typed.text, problem: typed.problem, ...transitionDraftWords(field, place, typed.label ?? ''), transition, place, field }];
}

/** Where this very transition object sits in `def` (null: deleted, replaced, or changed elsewhere). */
function placeOf(def: CampaignInput, t: TransitionInput): TransitionPlace | null {
  for (const [state, s] of Object.entries(def.states)) {
    const index = s.transitions?.indexOf(t) ?? -1;
    if (index >= 0) return { state, index };
  }
  return null;
}

/** A draft and its path as of `def`; null when its field is no longer there. */
function heldIn(def: CampaignInput, path: string, d: DurationDraft): [string, DurationDraft] | null {
  if (!inTransition(d)) return d.findHolder(def) === d.holder ? [path, d] : null;
  const place = placeOf(def, d.transition);
  if (place === null || !holdsField(d.transition, d.field)) return null;
  if (place.state === d.place.state && place.index === d.place.index) return [path, d];
  return transitionDraft({ transition: d.transition, place, field: d.field }, d);
}

/** The drafts whose field is still there in `def`, each at its path there (the same object when nothing changes). */
export function draftsStillHeld(drafts: Record<string, DurationDraft>, def: CampaignInput): Record<string, DurationDraft> {
  const held = Object.entries(drafts).flatMap(([path, d]) => {
    const at = heldIn(def, path, d);
    return at ? [at] : [];
  });
  const same = held.length === Object.keys(drafts).length && held.every(([path, d]) => drafts[path] === d);
  return same ? drafts : Object.fromEntries(held);
}

/**
 * The drafts once the panel replaced transition `from` with `to` at the same place: each of `from`'s goes to `to`,
 * a branch's weight to the branch's new number (`branchOf`), and is dropped only when its field is gone (a branch
 * removed, the trigger changed to another kind). The same object when `from` holds none.
 */
export function draftsCarried(drafts: Record<string, DurationDraft>, from: TransitionInput, to: TransitionInput, branchOf: BranchMap = (n) => n): Record<string, DurationDraft> {
  if (from === to || !Object.values(drafts).some((d) => inTransition(d) && d.transition === from)) return drafts;
  return Object.fromEntries(
    Object.entries(drafts).flatMap(([path, d]): Array<[string, DurationDraft]> => {
      if (!inTransition(d) || d.transition !== from) return [[path, d]];
      const branch = d.field.kind === 'weight' ? branchOf(d.field.branch) : null;
      const field: TransitionField | null = d.field.kind !== 'weight' ? d.field : branch === null ? null : { kind: 'weight', branch };
      if (field === null || !holdsField(to, field)) return [];
      return [transitionDraft({ transition: to, place: d.place, field }, d)];
    }),
  );
}

const sameDraft = (a: DurationDraft, b: DurationDraft) =>
  a.text === b.text && (inTransition(a) ? inTransition(b) && a.transition === b.transition : !inTransition(b) && a.holder === b.holder);

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
        return was && sameDraft(was, draft) ? d : { ...d, [path]: draft };
      }),
    [],
  );
  // Queued with the edit that replaces the transition: the next render reads both, so the draft is never dropped in between.
  const carry = useCallback((from: TransitionInput, to: TransitionInput, branchOf?: BranchMap) => setDrafts((d) => draftsCarried(d, from, to, branchOf)), []);
  const api = useMemo(() => ({ get: (path: string) => drafts[path], set, carry }), [drafts, set, carry]);
  const issues = useMemo(() => Object.entries(drafts).map(([path, d]) => ({ path, message: d.problem })), [drafts]);
  return { drafts, api, issues };
}
