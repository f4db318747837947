import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Result } from '../../../../src/domain/issues';
import { moveTransition, removeTransition, renameState, updateTransition } from '../../../../src/domain/canvas/definition-edits';
import { editorModel } from './editor-model';
import { rehomeIssues } from './rehome-issues';

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

const def0 = {
  key: 'k',
  name: 'K',
  entry: { on: 'order.completed' },
  initial: 's',
  states: {
    s: {
      transitions: [
        { to: 'b', when: "count('order.completed') >=" },
        { to: 'b', after: 'P1D' },
      ],
      actions: { steps: [{ type: 'points', amount: 5, pool: 'nope' }] },
    },
    b: { end: true },
  },
} as unknown as CampaignInput;

const issues0 = [
  { path: 'states.s.transitions[0].when', message: 'expected a value, found end of expression', position: 27 },
  { path: 'states.s.actions.steps[0].pool', message: 'no pool nope' },
  { path: 'entry.on', message: 'campaign-wide' },
];

describe('rehomeIssues: the last check, drawn on the draft edited since', () => {
  it('leaves an issue off the transition that moved to its path (the innocent "after 1 day" edge stays clean)', () => {
    const def1 = value(removeTransition(def0, 's', 0));
    const model = editorModel(def1, rehomeIssues(def0, def1, issues0));
    expect(model.edges[0].issues).toEqual([]);
  });

  it('follows a transition to its new index when another moves before it', () => {
    const def1 = value(moveTransition(def0, 's', 0, 1));
    expect(rehomeIssues(def0, def1, issues0).map((i) => i.path)).toEqual(['states.s.transitions[1].when', 'states.s.actions.steps[0].pool', 'entry.on']);
  });

  it('follows a renamed state, and drops the issues of a transition changed since the check (the check will say)', () => {
    const renamed = value(renameState(def0, 's', 'z'));
    expect(rehomeIssues(def0, renamed, issues0).map((i) => i.path)).toEqual(['states.z.transitions[0].when', 'states.z.actions.steps[0].pool', 'entry.on']);
    const typed = value(updateTransition(def0, 's', 0, { to: 'b', when: "count('order.completed') >= 1" } as never));
    expect(rehomeIssues(def0, typed, issues0).map((i) => i.path)).toEqual(['states.s.actions.steps[0].pool', 'entry.on']);
  });

  it('keeps every issue of the definition checked, and none before any check', () => {
    expect(rehomeIssues(def0, def0, issues0)).toEqual(issues0);
    expect(rehomeIssues(null, def0, issues0)).toEqual([]);
  });
});
