import { topUpBody } from './top-up-body';

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
