import type { ActionGroup } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { addStep, amountFromText, amountText, amountWritten, groupAt, setStep, stepLabel } from './action-tree';

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

  it('keeps an amount as typed while it reads as the amount stored: 1.05 typed key by key stays 1.05, not 15', () => {
    // Each key's text, the amount it stores, and the text the field then shows: the next key goes after that text.
    let text = '';
    for (const key of '1.05') {
      const stored = amountFromText(text + key);
      text = amountText(text + key, stored);
    }
    expect(text).toBe('1.05');
    expect(amountFromText(text)).toBe(1.05);
    expect(amountText('1.0', 1)).toBe('1.0');
    expect(amountText('0.0', 0)).toBe('0.0');
    expect(amountText('-0', -0)).toBe('-0');
    expect(amountText('-0.50', -0.5)).toBe('-0.50');
    expect(amountText('007', 7)).toBe('007');
    expect(amountText(' 5 ', 5)).toBe(' 5 ');
    expect(amountText('0.0000001', 1e-7)).toBe('0.0000001');
    expect(amountText('1.', '1.')).toBe('1.');
    expect(amountText('', undefined)).toBe('');
    expect(amountText("sum('order.completed', 'amount')", "sum('order.completed', 'amount')")).toBe("sum('order.completed', 'amount')");
  });

  it('shows the amount stored when the text says another (an undo, the JSON tab), or digits a number does not keep', () => {
    expect(amountText('1.0', 2)).toBe('2');
    expect(amountText('1.0', undefined)).toBe('');
    expect(amountText('1.0', 'user.level')).toBe('user.level');
    expect(amountText('user.level', 1)).toBe('1');
    expect(amountText('12345678901234567890', Number('12345678901234567890'))).toBe('12345678901234567000');
    expect(amountText('0.1000000000000000000001', 0.1)).toBe('0.1');
  });

  it('writes an amount in plain digits, which the field reads back as the same number', () => {
    for (const n of [0, 5, -2.5, 1.05, 1e-7, -1.5e-9, 1e21, 1.25e22, 123.456]) {
      expect(amountWritten(n)).toMatch(/^-?\d+(\.\d+)?$/);
      expect(amountFromText(amountWritten(n))).toBe(n);
    }
    expect(amountWritten(1e-7)).toBe('0.0000001');
    expect(amountWritten(1e21)).toBe('1000000000000000000000');
    expect(amountWritten(-1.5e-9)).toBe('-0.0000000015');
    expect(amountWritten(undefined)).toBe('');
    expect(amountWritten('x * 2')).toBe('x * 2');
  });
});
