import { effectiveScheme, parseChoice, toggledChoice } from './theme-model';

describe('the console theme', () => {
  it('follows the system until a choice is stored', () => {
    expect(effectiveScheme(null, true)).toBe('dark');
    expect(effectiveScheme(null, false)).toBe('light');
    expect(effectiveScheme('light', true)).toBe('light');
    expect(effectiveScheme('dark', false)).toBe('dark');
  });

  it('reads only the two schemes from storage; anything else follows the system', () => {
    expect(parseChoice('dark')).toBe('dark');
    expect(parseChoice('light')).toBe('light');
    for (const junk of [null, '', 'Dark', 'system', '"dark"']) expect(parseChoice(junk)).toBeNull();
  });

  it('a toggle flips what is shown, and a flip back to the system scheme stores nothing', () => {
    for (const systemDark of [false, true]) {
      const first = toggledChoice(null, systemDark);
      expect(first).toBe(systemDark ? 'light' : 'dark');
      expect(effectiveScheme(first, systemDark)).not.toBe(effectiveScheme(null, systemDark));
      expect(toggledChoice(first, systemDark)).toBeNull();
    }
    // A stored choice that matches the system (the system changed since): the click still flips what is shown.
    expect(toggledChoice('dark', true)).toBe('light');
    expect(toggledChoice('light', false)).toBe('dark');
  });
});
