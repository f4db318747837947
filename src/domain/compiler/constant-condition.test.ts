import { compileCondition } from '../conditions';
import { constantValue } from './constant-condition';

function valueOf(source: unknown): boolean | undefined {
  const compiled = compileCondition(source, 'when');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return constantValue(compiled.value);
}

describe('constantValue', () => {
  it('gives the value of a condition that reads nothing, however it is spelled', () => {
    for (const always of [true, 'true', [['true']], '!false', '1 == 1', '1 < 2', 'true && true', { all: [true, true] }, [['true', 'false']], "'a' == 'a'", '1 in [1, 2]']) {
      expect({ always, value: valueOf(always) }).toEqual({ always, value: true });
    }
    for (const never of [false, 'false', '!true', '1 == 2', [['true'], ['false']], { any: [false, false] }]) {
      expect({ never, value: valueOf(never) }).toEqual({ never, value: false });
    }
  });

  it('gives nothing for a condition that may vary: a fact, an aggregate, a time function, a date written as text (read in the campaign\'s zone)', () => {
    for (const varies of ['user.vip == true', "count('order.completed') >= 0", 'now() > 0', "'2024-01-01' < '2024-01-01T12:00:00Z'", 'true && event.amount > 1', { not: 'journey.entries > 0' }]) {
      expect({ varies, value: valueOf(varies) }).toEqual({ varies, value: undefined });
    }
    expect(constantValue(null)).toBeUndefined();
  });
});
