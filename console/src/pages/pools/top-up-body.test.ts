import { KairosApiError } from '../../api';
import { amount } from '../../ui/numbers';
import { budgetWords, codeLines, earlierTopUpNotice, topUpBody, topUpFieldName, topUpMessage, topUpOutcome, topUpSummary } from './top-up-body';

/** Numbers written as a reader in Germany sees them, wherever the tests run: the browser's locale, not en-US. */
function inGerman() {
  const toLocaleString = Number.prototype.toLocaleString;
  return jest.spyOn(Number.prototype, 'toLocaleString').mockImplementation(function (this: number, locales?: Intl.LocalesArgument, options?: Intl.NumberFormatOptions) {
    return toLocaleString.call(this, locales ?? 'de-DE', options);
  });
}

describe('topUpBody', () => {
  const empty = { budget: '', codes: '', pattern: '', count: '' };

  it('sends only the fields filled in, with the form’s id', () => {
    expect(topUpBody('t1', { ...empty, budget: '250.5' })).toEqual({ id: 't1', budget: 250.5 });
    expect(topUpBody('t2', { ...empty, pattern: ' SAVE-#### ', count: '40' })).toEqual({ id: 't2', generate: { pattern: 'SAVE-####', count: 40 } });
  });

  it('takes codes one a line, trimmed, without blank lines', () => {
    expect(topUpBody('t3', { ...empty, codes: ' A-1 \r\n\nB-2\n' })).toEqual({ id: 't3', codes: ['A-1', 'B-2'] });
    expect(topUpBody('t4', { ...empty, codes: '\n  \n' })).toEqual({ id: 't4' });
  });
});

describe('codeLines', () => {
  it('keeps the line each code was typed on, counting blank lines', () => {
    expect(codeLines('A-1\n\n  B-2 \r\nC-3')).toEqual([
      { code: 'A-1', line: 1 },
      { code: 'B-2', line: 3 },
      { code: 'C-3', line: 4 },
    ]);
  });
});

describe('topUpMessage', () => {
  it('names a code the message points at by its line too (console probe: "line 4: NEW-1 repeats codes[0]")', () => {
    const text = ['NEW-1', '', 'WELCOME-JXW3-29', 'NEW-1'].join('\n');
    expect(`${topUpFieldName('codes[2]', text)}: ${topUpMessage('"NEW-1" repeats codes[0]', text)}`).toBe('line 4: "NEW-1" repeats line 1');
    expect(topUpMessage('the pool already holds this code', text)).toBe('the pool already holds this code');
  });
});

describe('topUpFieldName', () => {
  it('names a code by the line it was pasted on, not its index in the list sent', () => {
    // Thirteen lines, the second blank: the API's codes[11] is the 13th line.
    const text = ['C-1', '', ...Array.from({ length: 11 }, (_, i) => `C-${i + 2}`)].join('\n');
    expect(topUpFieldName('codes[11]', text)).toBe('line 13');
    expect(topUpFieldName('codes[0]', text)).toBe('line 1');
    expect(topUpFieldName('codes[1]', text)).toBe('line 3');
  });

  it('names the other fields by their labels, and leaves a path it cannot place as the API wrote it', () => {
    expect(topUpFieldName('budget', '')).toBe('Add to budget');
    expect(topUpFieldName('generate.count', '')).toBe('How many');
    expect(topUpFieldName('codes[5]', 'A\nB')).toBe('codes[5]');
    // The form has no id field: its id is named in words, not as the API's raw path.
    expect(topUpFieldName('id', '')).toBe("this form's top-up id");
    expect(topUpFieldName('pool', '')).toBe('pool');
  });
});

describe('topUpSummary', () => {
  it('says what will be added and the budget it makes, before a top-up that cannot be taken back', () => {
    const points = { key: 'loyalty', kind: 'points' as const, budget: 5000 };
    expect(topUpSummary(points, topUpBody('t', { budget: '100000', codes: '', pattern: '', count: '' }))).toBe(
      `Add ${amount(100_000)} points of budget (${amount(5000)} → ${amount(105_000)}) to loyalty? A top-up cannot be taken back.`,
    );
    const coupons = { key: 'welcome', kind: 'coupon' as const, budget: 2 };
    expect(topUpSummary(coupons, topUpBody('t', { budget: '3', codes: 'A\n\nB', pattern: 'SAVE-####', count: '1000' }))).toBe(
      `Add 3 coupons of budget (2 → 5) and 2 codes and ${amount(1000)} generated codes (SAVE-####) to welcome? A top-up cannot be taken back.`,
    );
    expect(topUpSummary({ key: 'open', kind: 'coupon', budget: null }, topUpBody('t', { budget: '', codes: 'X', pattern: '', count: '' }))).toBe('Add 1 code to open? A top-up cannot be taken back.');
  });

  it('agrees the noun with the count, names a credit pool’s currency, and writes numbers as the pools table does', () => {
    const fields = { budget: '1', codes: '', pattern: '', count: '1' };
    expect(topUpSummary({ key: 'p', kind: 'points', budget: 5000 }, topUpBody('id', fields))).toContain('Add 1 point of budget (');
    expect(topUpSummary({ key: 'c', kind: 'coupon', budget: 1, currency: null }, topUpBody('id', { ...fields, pattern: 'X-#' }))).toBe(
      'Add 1 coupon of budget (1 → 2) and 1 generated code (X-#) to c? A top-up cannot be taken back.',
    );
    expect(topUpSummary({ key: 'eur', kind: 'credit', currency: 'EUR', budget: 100 }, topUpBody('id', { ...fields, budget: '12.5' }))).toBe(
      `Add ${amount(12.5)} EUR credit of budget (${amount(100)} → ${amount(112.5)}) to eur? A top-up cannot be taken back.`,
    );
    const german = inGerman();
    try {
      // A zero too many must read as one in the reader's own numbers: 105.000, not 105,000 (about 105 in Germany).
      expect(topUpSummary({ key: 'loyalty', kind: 'points', budget: 5000 }, topUpBody('id', { ...fields, budget: '100000' }))).toBe(
        'Add 100.000 points of budget (5.000 → 105.000) to loyalty? A top-up cannot be taken back.',
      );
      expect(topUpSummary({ key: 'eur', kind: 'credit', currency: 'EUR', budget: 0 }, topUpBody('id', { ...fields, budget: '12.5' }))).toContain('Add 12,5 EUR credit of budget (0 → 12,5)');
    } finally {
      german.mockRestore();
    }
  });
});

describe('budgetWords', () => {
  it('says budget in what the pool counts', () => {
    expect(budgetWords({ kind: 'coupon' }, 1)).toBe('1 coupon');
    expect(budgetWords({ kind: 'points' }, 2500)).toBe(`${amount(2500)} points`);
    expect(budgetWords({ kind: 'credit', currency: 'EUR' }, 1)).toBe('1 EUR credit');
    expect(budgetWords({ kind: 'credit', currency: null }, 3)).toBe('3 credit');
  });
});

describe('topUpOutcome', () => {
  const refusal = (status: number, code: string) =>
    new KairosApiError(status, { error: { code, message: 'Pool "loyalty" took a top-up with id "t" that added something else; give this one another id.', details: [{ path: 'id', message: 'names another top-up of this pool' }] } });

  it("reads the API's 409 top_up_id_reused as this form's earlier top-up having been applied, and anything else as a failure", () => {
    expect(topUpOutcome(refusal(409, 'top_up_id_reused'))).toBe('appliedEarlier');
    expect(topUpOutcome(refusal(409, 'pool_exists'))).toBe('failed');
    expect(topUpOutcome(refusal(400, 'top_up_id_reused'))).toBe('failed');
    expect(topUpOutcome(new TypeError('Failed to fetch'))).toBe('failed');
  });
});

describe('earlierTopUpNotice', () => {
  const pool = {
    key: 'loyalty',
    kind: 'points' as const,
    budget: 15_000,
    topUps: { latest: [{ id: 'other', budgetAdded: 5, codesAdded: 0 }, { id: 'mine', budgetAdded: 10_000, codesAdded: 0 }] },
  };

  it('says the earlier top-up was applied, what it added and the budget now, and that the fields as they are now were not added', () => {
    expect(earlierTopUpNotice(pool, 'mine')).toBe(
      `Your earlier top-up with this form was applied: it added ${amount(10_000)} points of budget (budget now ${amount(15_000)}); its answer had not come back. What the fields say now was not added: check them, and Add adds them as a new top-up.`,
    );
    const coupons = { key: 'welcome', kind: 'coupon' as const, budget: 12, topUps: { latest: [{ id: 'mine', budgetAdded: 2, codesAdded: 1 }] } };
    expect(earlierTopUpNotice(coupons, 'mine')).toMatch(/^Your earlier top-up with this form was applied: it added 2 coupons of budget and 1 code \(budget now 12\);/);
  });

  it('agrees the noun with the count, names a credit pool’s currency, and writes numbers as the pools table does', () => {
    const one = { ...pool, topUps: { latest: [{ id: 'mine', budgetAdded: 1, codesAdded: 0 }] } };
    expect(earlierTopUpNotice(one, 'mine')).toContain('it added 1 point of budget');
    const credit = { key: 'eur', kind: 'credit' as const, currency: 'EUR', budget: 112.5, topUps: { latest: [{ id: 'mine', budgetAdded: 12.5, codesAdded: 0 }] } };
    expect(earlierTopUpNotice(credit, 'mine')).toContain(`it added ${amount(12.5)} EUR credit of budget (budget now ${amount(112.5)})`);
    const german = inGerman();
    try {
      expect(earlierTopUpNotice(pool, 'mine')).toContain('it added 10.000 points of budget (budget now 15.000)');
    } finally {
      german.mockRestore();
    }
  });

  it('says less, never something untrue, when the top-up is no longer among the newest or the pool could not be read', () => {
    expect(earlierTopUpNotice(pool, 'gone')).toMatch(new RegExp(`^Your earlier top-up with this form was applied \\(budget now ${amount(15_000)}\\); its answer`));
    expect(earlierTopUpNotice(null, 'mine')).toMatch(/^Your earlier top-up with this form was applied; its answer had not come back\. What the fields say now was not added/);
  });
});
