import { intervalPickers } from './interval-pickers';

const n = (id: string, kind: 'entry' | 'state' | 'end', initial = false) => ({ id, kind, initial });

// Review 62, finding 2: the From picker offered `(exited)` and end states, from which the API could only answer
// "0 timed" (a path never moves on from there); it now refuses them, and the panel does not offer them.
describe('the intervals panel pickers', () => {
  it('time from a state a path leaves, to any state or (exited)', () => {
    const nodes = [n('(entry)', 'entry'), n('done', 'end'), n('nudged', 'state'), n('waiting', 'state', true), n('expired', 'end')];
    expect(intervalPickers(nodes)).toEqual({
      from: ['waiting', 'nudged'],
      to: ['waiting', 'nudged', 'done', 'expired', '(exited)'],
      start: { from: 'waiting', to: 'done' },
    });
  });

  it('offer nothing to time from when every state is an end state', () => {
    expect(intervalPickers([n('(entry)', 'entry'), n('only', 'end', true)])).toEqual({ from: [], to: ['only', '(exited)'], start: { from: '', to: 'only' } });
    expect(intervalPickers([])).toEqual({ from: [], to: ['(exited)'], start: { from: '', to: '' } });
  });
});
