import { canonical, layoutOf, savePlan, withUndrawn } from './save-plan';

const def = { key: 'k', name: 'K', initial: 'a', states: { a: { end: true } } };

describe('what Save does in the canvas', () => {
  it('creates what was never stored', () => {
    expect(savePlan(null, def, {})).toEqual({ kind: 'create' });
  });

  it('makes a new version from the loaded one when the definition changed, whatever the positions', () => {
    const base = { version: 3, definition: def, layout: { a: { x: 0, y: 0 } } };
    expect(savePlan(base, { ...def, name: 'K2' }, { a: { x: 0, y: 0 } })).toEqual({ kind: 'version', baseVersion: 3 });
    expect(savePlan(base, { ...def, name: 'K2' }, { a: { x: 90, y: 0 } })).toEqual({ kind: 'version', baseVersion: 3 });
  });

  it('saves only the layout of the loaded version when only positions moved, and nothing when nothing moved', () => {
    const base = { version: 3, definition: def, layout: { a: { x: 0, y: 0 } } };
    // Key order is not a change.
    const reordered = { states: { a: { end: true } }, initial: 'a', name: 'K', key: 'k' };
    expect(savePlan(base, reordered, { a: { x: 0, y: 0 } })).toEqual({ kind: 'nothing', version: 3 });
    expect(savePlan(base, reordered, { a: { x: 10, y: 0 } })).toEqual({ kind: 'layout', version: 3 });
    expect(savePlan({ ...base, layout: null }, def, { a: { x: 0, y: 0 } })).toEqual({ kind: 'layout', version: 3 });
  });

  it('counts neither the entry\'s stored place (the canvas does not draw it) nor coordinates it rounds as a change, and saves the entry\'s place', () => {
    const withEntry = { version: 1, definition: def, layout: { '(entry)': { x: 0, y: -150 }, a: { x: 0, y: 0 } } };
    expect(savePlan(withEntry, def, { a: { x: 0, y: 0 } })).toEqual({ kind: 'nothing', version: 1 });
    expect(savePlan(withEntry, def, { a: { x: 10, y: 0 } })).toEqual({ kind: 'layout', version: 1 });
    // The API accepts any number; the canvas pins a loaded place as it is and saves it rounded.
    const fractional = { version: 1, definition: def, layout: { a: { x: 10.5, y: -0.4 } } };
    expect(savePlan(fractional, def, layoutOf([['a', { x: 10.5, y: -0.4 }]]))).toEqual({ kind: 'nothing', version: 1 });
    expect(savePlan(fractional, def, { a: { x: 12, y: 0 } })).toEqual({ kind: 'layout', version: 1 });
    // What a save stores keeps the entry's place as stored; a canvas with nothing stored has none to keep.
    expect(withUndrawn(withEntry.layout, { a: { x: 10, y: 0 } })).toEqual({ '(entry)': { x: 0, y: -150 }, a: { x: 10, y: 0 } });
    expect(withUndrawn(null, { a: { x: 10, y: 0 } })).toEqual({ a: { x: 10, y: 0 } });
    expect(withUndrawn({ a: { x: 1, y: 1 } }, { a: { x: 10, y: 0 } })).toEqual({ a: { x: 10, y: 0 } });
  });

  it('rounds positions to whole pixels', () => {
    expect(layoutOf([['a', { x: 10.4, y: -3.6 }]])).toEqual({ a: { x: 10, y: -4 } });
    expect(canonical({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
