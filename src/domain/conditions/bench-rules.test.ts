/**
 * `npm run bench:rules` compares Kairos's compiled conditions with
 * json-rules-engine and json-logic-engine on one rule set; this checks,
 * without timing, that the three translations of that set agree, so CI
 * catches a rule, translation or evaluator change that would make the
 * bench compare different things.
 */
import { disagreements } from '../../../bench/rules/engines';
import { factSets } from '../../../bench/rules/fact-sets';
import { RULES } from '../../../bench/rules/rule-set';

describe('bench:rules rule set', () => {
  it('is 30 rules of 2 to 4 comparisons each', () => {
    const comparisons = (c: object): number =>
      'fact' in c ? 1 : Object.values(c).flat().reduce((n: number, x: object) => n + comparisons(x), 0);
    expect(RULES).toHaveLength(30);
    for (const rule of RULES) {
      const n = comparisons(rule.when);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(4);
    }
  });

  it('Kairos, json-rules-engine and json-logic-engine agree on 300 seeded fact sets', async () => {
    const { found, holds } = await disagreements(factSets(300, 11));
    expect(found).toEqual([]);
    // Agreement on rules that never hold (or always hold) would prove nothing.
    expect(holds).toBeGreaterThan(300);
    expect(holds).toBeLessThan(300 * 30 - 300);
  });

  it('every rule both holds and fails somewhere in the sample', async () => {
    const { kairosRules, kairosContext } = await import('../../../bench/rules/engines');
    const rules = kairosRules();
    const contexts = factSets(3000, 11).map(kairosContext);
    for (const [i, rule] of rules.entries()) {
      const verdicts = new Set(contexts.map((ctx) => rule.evaluate(ctx)));
      expect({ rule: RULES[i].name, verdicts: [...verdicts].sort() }).toEqual({ rule: RULES[i].name, verdicts: [false, true] });
    }
  });
});
