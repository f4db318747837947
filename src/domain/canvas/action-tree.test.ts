import type { ActionGroup } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { addStep, amountFromText, groupAt, setStep, stepLabel } from './action-tree';

const points = (amount: number) => ({ type: 'points' as const, amount });

describe('the action tree', () => {
  const top: ActionGroup = { strategy: 'serial', steps: [points(1), { strategy: 'priority', steps: [points(2), points(3)] }] };

  it('adds a nested group with its own strategy, and steps inside it, and the compiler takes the tree', () => {
    let t = addStep(top, [1], { strategy: 'parallel', steps: [points(4)] });
    t = addStep(t, [1, 2], points(5));
    expect(groupAt(t, [1, 2])).toEqual({ strategy: 'parallel', steps: [points(4), points(5)] });
    expect(top.steps[1]).toEqual({ strategy: 'priority', steps: [points(2), points(3)] });
    const compiled = compileCampaign({ key: 'k', name: 'K', entry: { on: 'e' }, initial: 'a', states: { a: { actions: t, end: true } } });
    expect(compiled.ok).toBe(true);
  });

  it('replaces and removes steps by path; a nested group left empty goes', () => {
    const t = setStep(top, [1, 0], points(9));
    expect(groupAt(t, [1])?.steps[0]).toEqual(points(9));
    const once = setStep(top, [1, 0], undefined);
    expect(groupAt(once, [1])?.steps).toEqual([points(3)]);
    const twice = setStep(once, [1, 0], undefined);
    expect(twice.steps).toEqual([points(1)]);
    expect(groupAt(top, [0])).toBeNull();
    expect(stepLabel([1, 0])).toBe('2.1');
  });

  it('keeps an amount typed as a plain number a number, and anything else the expression typed', () => {
    expect(amountFromText('50')).toBe(50);
    expect(amountFromText(' -2.5 ')).toBe(-2.5);
    expect(amountFromText('')).toBeUndefined();
    expect(amountFromText("sum('order.completed', 'amount') * 10")).toBe("sum('order.completed', 'amount') * 10");
    expect(amountFromText('1e3')).toBe('1e3');
    expect(amountFromText('5 ')).toBe(5);
  });
});
