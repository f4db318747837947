import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { TransitionInput } from '../../../../src/domain/canvas/definition-edits';
import { draftsStillHeld, type DurationDraft } from './duration-drafts';

const wait = (after: string): TransitionInput => ({ to: 'done', after });
const campaign = (transitions: TransitionInput[]): CampaignInput => ({
  key: 'k',
  name: 'K',
  entry: { on: 'x' },
  initial: 'waiting',
  states: { waiting: { transitions }, done: { end: true } },
});
const firstWait = (d: CampaignInput) => d.states.waiting?.transitions?.[0];
const draftOn = (def: CampaignInput): DurationDraft => ({ text: 'PT1', problem: 'not yet', label: 'After', holder: firstWait(def), findHolder: firstWait });

describe('duration drafts belong to their field', () => {
  it('keeps a draft while its transition is where it was, and answers the same object then', () => {
    const def = campaign([wait('P1D'), wait('P1D')]);
    const drafts = { a: draftOn(def) };
    expect(draftsStillHeld(drafts, { ...def, name: 'Renamed campaign' })).toBe(drafts);
  });

  it('drops it once another transition (with the same wait) comes to sit at its path', () => {
    const def = campaign([wait('P1D'), wait('P1D')]);
    const [, second] = def.states.waiting.transitions ?? [];
    const deleted = { ...def, states: { ...def.states, waiting: { transitions: [second] } } };
    expect(draftsStillHeld({ a: draftOn(def) }, deleted)).toEqual({});
  });

  it('drops it when its field is gone: the state renamed away, or the transition no longer a wait', () => {
    const def = campaign([wait('P1D')]);
    expect(draftsStillHeld({ a: draftOn(def) }, { ...def, states: { done: { end: true } } })).toEqual({});
    expect(draftsStillHeld({ a: draftOn(def) }, campaign([{ to: 'done', on: 'x' }]))).toEqual({});
  });
});
