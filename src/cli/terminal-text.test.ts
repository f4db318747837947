import { oneLine, printable } from './terminal-text';

describe('text from the server on a terminal', () => {
  it('escapes what would recolour or clear the screen, and keeps plain text as it is', () => {
    expect(printable('probe-\u001b[31mX\u001b[0m')).toBe('probe-\\u001b[31mX\\u001b[0m');
    expect(printable('evil\u001b[2J\u009b2J')).toBe('evil\\u001b[2J\\u009b2J');
    expect(printable('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
    expect(printable('Grüße, 注文 ✓')).toBe('Grüße, 注文 ✓');
  });

  it('escapes bidirectional controls, which would show an id in another order than it is (cli probe)', () => {
    // "u-\u202Egnp.exe" shows as "u-exe.png" on a terminal that applies the override.
    expect(printable('u-\u202egnp.exe')).toBe('u-\\u202egnp.exe');
    expect(oneLine('a\u2066b\u2069c\u200fd\u061ce\u2028f')).toBe('a\\u2066b\\u2069c\\u200fd\\u061ce\\u2028f');
    // Right-to-left text itself is text: only the invisible controls are escaped.
    expect(printable('שלום عربي')).toBe('שלום عربي');
  });

  it('keeps a table cell on one line', () => {
    expect(oneLine('evil\nsecond line\r\t')).toBe('evil\\nsecond line\\r\\t');
  });
});
