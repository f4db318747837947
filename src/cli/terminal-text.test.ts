import { oneLine, printable } from './terminal-text';

describe('text from the server on a terminal', () => {
  it('escapes what would recolour or clear the screen, and keeps plain text as it is', () => {
    expect(printable('probe-\u001b[31mX\u001b[0m')).toBe('probe-\\u001b[31mX\\u001b[0m');
    expect(printable('evil\u001b[2J\u009b2J')).toBe('evil\\u001b[2J\\u009b2J');
    expect(printable('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
    expect(printable('Grüße, 注文 ✓')).toBe('Grüße, 注文 ✓');
  });

  it('keeps a table cell on one line', () => {
    expect(oneLine('evil\nsecond line\r\t')).toBe('evil\\nsecond line\\r\\t');
  });
});
