import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { moveTransition, removeTransition, updateTransition, type TransitionInput } from '../../../../src/domain/canvas/definition-edits';
import { setTrigger, withBranchRemoved } from '../../../../src/domain/canvas/triggers';
import type { Result } from '../../../../src/domain/issues';
import { draftsCarried, draftsStillHeld, transitionDraft, withoutBranch, type BranchMap, type DurationDraft, type TransitionField } from './duration-drafts';

const wait = (after: string): TransitionInput => ({ to: 'done', after });
const split: TransitionInput = {
  split: [
    { to: 'done', weight: 50 },
    { to: 'other', weight: 30 },
    { to: 'third', weight: 20 },
  ],
};
const emptyWhen: TransitionInput = { to: 'done', when: "count('x') >= 1" };
const campaign = (transitions: TransitionInput[]): CampaignInput => ({
  key: 'k',
  name: 'K',
  entry: { on: 'x' },
  initial: 'waiting',
  states: { waiting: { transitions }, done: { end: true }, other: { end: true }, third: { end: true } },
});
const transitionAt = (def: CampaignInput, index: number) => def.states.waiting.transitions?.[index] as TransitionInput;
const valueOf = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

/** A draft typed in the panel of the transition at `index` of waiting, as the panel makes it. */
const typedAt = (def: CampaignInput, index: number, field: TransitionField, text = ''): Record<string, DurationDraft> =>
  Object.fromEntries([transitionDraft({ transition: transitionAt(def, index), place: { state: 'waiting', index }, field }, { text, problem: 'not yet', label: 'After (ISO duration)' })]);

/** What the panel does when it replaces the transition at `index`: the edit, then its drafts carried to the new object. */
function panelEdit(def: CampaignInput, drafts: Record<string, DurationDraft>, index: number, next: TransitionInput, branchOf?: BranchMap) {
  const edited = valueOf(updateTransition(def, 'waiting', index, next));
  return { def: edited, drafts: draftsStillHeld(draftsCarried(drafts, transitionAt(def, index), next, branchOf), edited) };
}

/** Save's "Not saved: ..." items, by path. */
const saveWords = (drafts: Record<string, DurationDraft>) => Object.fromEntries(Object.entries(drafts).map(([path, d]) => [path, d.unapplied ?? d.label]));

describe('a cleared weight follows its split when the panel edits the split', () => {
  const def = campaign([split]);
  const cleared = typedAt(def, 0, { kind: 'weight', branch: 2 });

  it('through another branch weight edited, or its target changed: Save still refuses it', () => {
    const weights = panelEdit(def, cleared, 0, setTrigger(split, { kind: 'split', branches: [{ to: 'done', weight: 60 }, { to: 'other', weight: 30 }, { to: 'third', weight: 20 }] }));
    expect(saveWords(weights.drafts)).toEqual({ 'states.waiting.transitions[0].split[2].weight': 'the weight of branch 3 of transition 1 of waiting is empty' });
    const retargeted = panelEdit(weights.def, weights.drafts, 0, setTrigger(transitionAt(weights.def, 0), { kind: 'split', branches: [{ to: 'done', weight: 60 }, { to: 'done', weight: 30 }, { to: 'third', weight: 20 }] }));
    expect(Object.keys(retargeted.drafts)).toEqual(['states.waiting.transitions[0].split[2].weight']);
  });

  it('through a branch added', () => {
    const added = panelEdit(campaign([{ split: split.split?.slice(0, 2) }]), {}, 0, split);
    const drafts = typedAt(added.def, 0, { kind: 'weight', branch: 1 });
    const again = panelEdit(added.def, drafts, 0, { split: [...(split.split ?? []), { to: 'waiting', weight: 5 }] });
    expect(Object.keys(again.drafts)).toEqual(['states.waiting.transitions[0].split[1].weight']);
  });

  it('through a branch before it removed (renumbered, named as the branch it now is); removing its own branch drops it', () => {
    const rest = withBranchRemoved(split.split ?? [], 0) ?? [];
    const removed = panelEdit(def, cleared, 0, { split: rest }, withoutBranch(0));
    expect(saveWords(removed.drafts)).toEqual({ 'states.waiting.transitions[0].split[1].weight': 'the weight of branch 2 of transition 1 of waiting is empty' });
    const own = panelEdit(def, cleared, 0, { split: withBranchRemoved(split.split ?? [], 2) ?? [] }, withoutBranch(2));
    expect(own.drafts).toEqual({});
  });
});

describe('drafts follow their transition through the panel', () => {
  it('an emptied `when` through where it goes changed, and an `after` too', () => {
    const def = campaign([emptyWhen, wait('P1D')]);
    const drafts = { ...typedAt(def, 0, { kind: 'when' }), ...typedAt(def, 1, { kind: 'after' }, 'P3') };
    const once = panelEdit(def, drafts, 0, { ...emptyWhen, to: 'other' });
    const twice = panelEdit(once.def, once.drafts, 1, { ...wait('P1D'), to: 'other' });
    expect(saveWords(twice.drafts)).toEqual({
      'states.waiting.transitions[0].when': 'the condition (when) of transition 1 of waiting is empty',
      'states.waiting.transitions[1].after': 'After (ISO duration)',
    });
    expect(twice.drafts['states.waiting.transitions[1].after']?.text).toBe('P3');
  });

  it('Move earlier/later: each draft goes with its transition to its new place, the one moved and the one it passed', () => {
    const def = campaign([emptyWhen, split]);
    const drafts = { ...typedAt(def, 0, { kind: 'when' }), ...typedAt(def, 1, { kind: 'weight', branch: 0 }) };
    const moved = draftsStillHeld(drafts, valueOf(moveTransition(def, 'waiting', 0, 1)));
    expect(saveWords(moved)).toEqual({
      'states.waiting.transitions[1].when': 'the condition (when) of transition 2 of waiting is empty',
      'states.waiting.transitions[0].split[0].weight': 'the weight of branch 1 of transition 1 of waiting is empty',
    });
  });

  it('is dropped when its field is gone: the trigger changed to a kind without it', () => {
    const def = campaign([emptyWhen]);
    expect(panelEdit(def, typedAt(def, 0, { kind: 'when' }), 0, setTrigger(emptyWhen, { kind: 'after', after: 'P1D' })).drafts).toEqual({});
  });
});

describe('drafts belong to their field, not to a path', () => {
  it('keeps them while nothing moves, and answers the same object then', () => {
    const def = campaign([wait('P1D'), wait('P1D')]);
    const drafts = typedAt(def, 0, { kind: 'after' }, 'PT1');
    expect(draftsStillHeld(drafts, { ...def, name: 'Renamed campaign' })).toBe(drafts);
  });

  it('drops a deleted transition\'s, though another (with the same wait) comes to sit at its path; that one\'s follows it', () => {
    const def = campaign([wait('P1D'), wait('P1D')]);
    expect(draftsStillHeld(typedAt(def, 0, { kind: 'after' }), valueOf(removeTransition(def, 'waiting', 0)))).toEqual({});
    expect(Object.keys(draftsStillHeld(typedAt(def, 1, { kind: 'after' }), valueOf(removeTransition(def, 'waiting', 0))))).toEqual(['states.waiting.transitions[0].after']);
  });

  it('drops it when the transition changed elsewhere (undo, the JSON or YAML tab) or its state went away', () => {
    const def = campaign([wait('P1D')]);
    expect(draftsStillHeld(typedAt(def, 0, { kind: 'after' }), campaign([wait('P1D')]))).toEqual({});
    expect(draftsStillHeld(typedAt(def, 0, { kind: 'after' }), { ...def, states: { done: { end: true } } })).toEqual({});
  });

  it("a campaign-wide duration's holds while the definition has the value it was typed over", () => {
    const def = campaign([]);
    const cooldown = (d: CampaignInput) => d.participation?.cooldown;
    const withCooldown = { ...def, participation: { cooldown: 'P1D' } };
    const drafts: Record<string, DurationDraft> = { 'participation.cooldown': { text: 'P1', problem: 'not yet', label: 'Cooldown', holder: 'P1D', findHolder: cooldown } };
    expect(draftsStillHeld(drafts, { ...withCooldown, name: 'Other' })).toBe(drafts);
    expect(draftsStillHeld(drafts, { ...withCooldown, participation: { cooldown: 'P2D' } })).toEqual({});
  });
});
