import fc from 'fast-check';
import type { ActionGroup, CampaignInput } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import type { Result } from '../issues';
import { spendAndPost } from '../testing/campaigns';
import {
  addState,
  addTransition,
  deleteState,
  statesLeadingInto,
  moveTransition,
  removeTransition,
  renameState,
  setActions,
  setCampaignField,
  setEnd,
  setInitial,
  updateTransition,
} from './definition-edits';

const seed = (): CampaignInput => spendAndPost() as CampaignInput;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

/** Every state name a definition refers to: initial, transition targets, split branches. */
function references(def: CampaignInput): string[] {
  const out = [def.initial];
  for (const state of Object.values(def.states)) {
    for (const t of state.transitions ?? []) {
      if (t.to !== undefined) out.push(t.to);
      for (const b of t.split ?? []) out.push(b.to);
    }
  }
  return out;
}

const paths = <T>(r: Result<T>) => (r.ok ? [] : r.issues.map((i) => i.path));

describe('canvas edits', () => {
  it('rename a state: every reference follows, the order of states is kept, and it still compiles', () => {
    const renamed = value(renameState(deepFreeze(seed()), 'collecting', 'counting'));
    expect(Object.keys(renamed.states)).toEqual(['counting', 'nudged', 'rewarded', 'expired']);
    expect(renamed.initial).toBe('counting');
    const more = value(renameState(renamed, 'rewarded', 'paid.out'));
    expect(more.states.counting.transitions?.[0].to).toBe('paid.out');
    expect(more.states.nudged.transitions?.[0].to).toBe('paid.out');
    expect(references(more)).not.toContain('rewarded');
    expect(compileCampaign(more).ok).toBe(true);
  });

  it('rename refuses a taken or malformed name and an unknown state, at the state', () => {
    expect(paths(renameState(seed(), 'collecting', 'nudged'))).toEqual(['states.collecting']);
    expect(paths(renameState(seed(), 'collecting', 'has space'))).toEqual(['states.collecting']);
    expect(paths(renameState(seed(), 'nowhere', 'x'))).toEqual(['states.nowhere']);
  });

  it('says why a name is refused in words: too long (with its length, the name cut short), empty, or a character not allowed', () => {
    const message = <T>(r: Result<T>) => (r.ok ? '' : r.issues.map((i) => i.message).join('; '));
    const long = 'x'.repeat(130);
    expect(message(renameState(seed(), 'collecting', long))).toBe(`"${'x'.repeat(40)}…" is not a state name: a state name is at most 100 characters, and this one has 130`);
    expect(message(addState(seed(), ''))).toBe('give the state a name: letters, digits and . _ -');
    expect(message(addState(seed(), 'has space'))).toBe('"has space" is not a state name: state names use letters A-Z and a-z, digits, and . _ -, not starting with . or -');
  });

  it('refuses the names every object carries, as saving does, before they reach the graph code that keys on them', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const added = addState(seed(), name);
      expect(added.ok ? [] : added.issues).toEqual([{ path: `states.${name}`, message: expect.stringMatching(new RegExp(`^"${name}" is reserved as a state name \\(so are `)) }]);
      const renamed = renameState(seed(), 'collecting', name);
      expect(renamed.ok ? [] : renamed.issues.map((i) => i.path)).toEqual(['states.collecting']);
    }
  });

  it('delete a state: the transitions into it go too, a split only loses that branch', () => {
    const def = value(addState(seed(), 'lottery', { transitions: [{ split: [{ to: 'rewarded', weight: 1 }, { to: 'expired', weight: 9 }] }] }));
    const withEdge = value(addTransition(def, 'nudged', { to: 'lottery', on: 'lottery.ticket' }, 0));
    const without = value(deleteState(deepFreeze(withEdge), 'expired'));
    expect(Object.keys(without.states)).not.toContain('expired');
    expect(references(without)).not.toContain('expired');
    expect(without.states.lottery.transitions).toEqual([{ split: [{ to: 'rewarded', weight: 1 }] }]);
    expect(without.states.nudged.transitions).toEqual([{ to: 'lottery', on: 'lottery.ticket' }, expect.objectContaining({ to: 'rewarded' })]);
    // The last branch of a split going takes the split along.
    expect(value(deleteState(without, 'rewarded')).states.lottery.transitions).toEqual([]);
  });

  it('names the states whose transitions a delete takes along (a split branch counts, a self-loop does not)', () => {
    const def = value(addState(seed(), 'lottery', { transitions: [{ split: [{ to: 'rewarded', weight: 1 }, { to: 'expired', weight: 9 }] }, { to: 'lottery', on: 'again' }] }));
    expect(statesLeadingInto(def, 'expired')).toContain('lottery');
    expect(statesLeadingInto(def, 'lottery')).toEqual([]);
    // What it names is exactly what deleteState changes, for every state.
    for (const name of Object.keys(def.states).filter((n) => n !== def.initial)) {
      const after = value(deleteState(def, name));
      const changed = Object.keys(after.states).filter((s) => JSON.stringify(after.states[s]) !== JSON.stringify(def.states[s]));
      expect(statesLeadingInto(def, name)).toEqual(changed);
    }
  });

  it('delete refuses the initial state', () => {
    expect(paths(deleteState(seed(), 'collecting'))).toEqual(['initial']);
    expect(paths(deleteState(value(setInitial(seed(), 'nudged')), 'collecting'))).toEqual([]);
  });

  it('add, update, move and remove transitions, with their triggers; targets must exist', () => {
    let def = value(addState(seed(), 'won-back'));
    def = value(addTransition(def, 'expired', { to: 'won-back', on: 'order.completed', if: 'event.amount >= 10' }));
    expect(def.states.expired.transitions).toEqual([{ to: 'won-back', on: 'order.completed', if: 'event.amount >= 10' }]);
    def = value(updateTransition(def, 'expired', 0, { to: 'won-back', after: 'P1D' }));
    expect(def.states.expired.transitions).toEqual([{ to: 'won-back', after: 'P1D' }]);
    def = value(addTransition(def, 'expired', { split: [{ to: 'won-back', weight: 1 }] }));
    def = value(moveTransition(def, 'expired', 1, 0));
    expect(def.states.expired.transitions?.map((t) => (t.split ? 'split' : t.after))).toEqual(['split', 'P1D']);
    def = value(removeTransition(def, 'expired', 0));
    expect(def.states.expired.transitions).toEqual([{ to: 'won-back', after: 'P1D' }]);
    expect(paths(addTransition(def, 'expired', { to: 'nowhere', after: 'P1D' }))).toEqual(['states.expired.transitions[1]']);
    expect(paths(removeTransition(def, 'expired', 5))).toEqual(['states.expired.transitions[5]']);
    expect(paths(updateTransition(def, 'expired', 0, { split: [{ to: 'ghost', weight: 1 }] }))).toEqual(['states.expired.transitions[0]']);
  });

  it("set a state's actions, mark end states, set campaign fields", () => {
    let def = value(setActions(seed(), 'expired', { strategy: 'parallel', steps: [{ type: 'message', channel: 'push', template: 'sorry' }] }));
    expect((def.states.expired.actions as ActionGroup | undefined)?.strategy).toBe('parallel');
    def = value(setActions(def, 'expired', undefined));
    expect('actions' in def.states.expired).toBe(false);
    def = value(setEnd(def, 'nudged', true));
    expect(def.states.nudged.end).toBe(true);
    def = value(setEnd(def, 'nudged', false));
    expect('end' in def.states.nudged).toBe(false);
    def = setCampaignField(def, 'audience', 'user.level >= 3');
    expect(def.audience).toBe('user.level >= 3');
    def = setCampaignField(def, 'schedule', undefined);
    expect('schedule' in def).toBe(false);
    expect(compileCampaign(def).ok).toBe(true);
  });

  const names = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/);

  it('property: renaming to a fresh name and back gives the same definition, and a renamed campaign compiles as before', () => {
    const original = deepFreeze(seed());
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(original.states)), names, (state, fresh) => {
        fc.pre(!(fresh in original.states));
        const renamed = value(renameState(original, state, fresh));
        expect(references(renamed)).not.toContain(state);
        expect(compileCampaign(renamed).ok).toBe(true);
        expect(value(renameState(renamed, fresh, state))).toEqual(original);
      }),
    );
  });

  it('property: after deleting any non-initial state, nothing refers to it and the input is unchanged', () => {
    const original = deepFreeze(seed());
    const before = JSON.stringify(original);
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(original.states).filter((s) => s !== original.initial)), (state) => {
        const after = value(deleteState(original, state));
        expect(references(after)).not.toContain(state);
        expect(Object.keys(after.states)).toHaveLength(Object.keys(original.states).length - 1);
      }),
    );
    expect(JSON.stringify(original)).toBe(before);
  });
});
