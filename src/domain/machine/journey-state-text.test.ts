import { journeyStateText, MAX_KEYWORD_CHARS } from './journey-state-text';

describe('the JourneyState text fits what Temporal visibility stores', () => {
  it('joins the states as they were when they fit', () => {
    expect(journeyStateText(['a', 'b'])).toBe('a,b');
    const fits = ['x'.repeat(100), 'y'.repeat(100), 'z'.repeat(53)];
    expect(journeyStateText(fits)).toBe(fits.join(','));
    expect(fits.join(',').length).toBe(MAX_KEYWORD_CHARS);
  });

  it('keeps as many as fit and counts the rest', () => {
    const states = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => c.repeat(90));
    const text = journeyStateText(states);
    expect(text).toBe(`${states[0]},${states[1]},…+4`);
    expect([...text].length).toBeLessThanOrEqual(MAX_KEYWORD_CHARS);
    expect(journeyStateText(['é'.repeat(100), 'ü'.repeat(100), 'ö'.repeat(54)])).toBe(`${'é'.repeat(100)},${'ü'.repeat(100)},…+1`);
  });
});
