import { readDurationText } from './duration-text';

describe('a duration field as it is typed', () => {
  it('takes what parses, in any case, with its words', () => {
    expect(readDurationText('PT3H', false)).toEqual({ ok: true, value: 'PT3H', words: '3 hours' });
    expect(readDurationText(' p3d ', false)).toEqual({ ok: true, value: 'P3D', words: '3 days' });
    expect(readDurationText('P1DT12H', true)).toEqual({ ok: true, value: 'P1DT12H', words: '1 day 12 hours' });
  });

  it('says why not, for a half-typed or wrong duration', () => {
    for (const text of ['P', 'P3', 'PT', '3 days', 'P3X']) {
      const read = readDurationText(text, false);
      expect(read).toEqual({ ok: false, problem: `"${text}" is not a duration yet: write it as P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)` });
    }
  });

  it('empties an optional field, and asks for a required one', () => {
    expect(readDurationText('  ', true)).toEqual({ ok: true, value: undefined, words: null });
    expect(readDurationText('', false)).toEqual({ ok: false, problem: 'Give a duration, e.g. P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)' });
  });
});
