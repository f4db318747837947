import { renderTable } from './table';

describe('renderTable', () => {
  it('pads columns to the widest cell and right-aligns numbers', () => {
    const out = renderTable(
      ['state', 'entered', 'current'],
      [
        ['collecting', 120, 7],
        ['rewarded', 3, 0],
      ],
    );
    expect(out).toBe(['state       entered  current', '----------  -------  -------', 'collecting      120        7', 'rewarded          3        0', ''].join('\n'));
  });

  it('shows missing cells as a dash and keeps text columns left-aligned', () => {
    expect(renderTable(['a', 'b'], [['x', null], ['longer', 'y']])).toBe(['a       b', '------  -', 'x       -', 'longer  y', ''].join('\n'));
  });

  it('prints the header alone for no rows', () => {
    expect(renderTable(['from', 'to'], [])).toBe('from  to\n----  --\n');
  });
});
