import type { CampaignInput } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { modeOf, switchMode } from './participation-mode';

const base: CampaignInput = {
  key: 'c',
  name: 'C',
  entry: { on: 'order.completed' },
  initial: 'a',
  states: { a: { end: true } },
};

describe('the participation mode switch', () => {
  it('to serial removes maxActive, naming a value other than 1 first, so the campaign compiles', () => {
    const parallel = { ...base, participation: { mode: 'parallel', maxActive: 5, maxEntries: 2 } } as CampaignInput;
    const { def, lost } = switchMode(parallel, 'serial');
    expect(lost).toBe('the max active paths 5');
    expect(def.participation).toEqual({ maxEntries: 2 });
    expect(modeOf(def)).toBe('serial');
    expect(compileCampaign(def).ok).toBe(true);
    // Typed as text (the compiler names it), it is named as typed.
    expect(switchMode({ ...base, participation: { mode: 'parallel', maxActive: 'five' } } as unknown as CampaignInput, 'serial').lost).toBe('the max active paths five');
  });

  it('drops nothing unasked: a maxActive of 1 or none, and a switch to parallel', () => {
    expect(switchMode({ ...base, participation: { mode: 'parallel', maxActive: 1 } } as CampaignInput, 'serial')).toEqual({ def: base, lost: null });
    expect(switchMode({ ...base, participation: { mode: 'parallel' } } as CampaignInput, 'serial')).toEqual({ def: base, lost: null });
    const parallel = switchMode(base, 'parallel');
    expect(parallel).toEqual({ def: { ...base, participation: { mode: 'parallel' } }, lost: null });
    expect(modeOf(parallel.def)).toBe('parallel');
  });
});
