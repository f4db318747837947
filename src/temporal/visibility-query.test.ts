import { visibilityMatches, visibilityString } from './visibility-query';

describe('visibility query literals', () => {
  it('escapes quotes and backslashes so a value stays one literal', () => {
    expect(visibilityString('ann')).toBe('"ann"');
    expect(visibilityString('a" OR UserId != "')).toBe('"a\\" OR UserId != \\""');
    expect(visibilityString('b\\" x')).toBe('"b\\\\\\" x"');
    expect(visibilityString("it's")).toBe('"it\'s"');
  });

  it('sends values visibility cannot match exactly elsewhere', () => {
    expect(visibilityMatches("it's")).toBe(true);
    expect(visibilityMatches('o"brien')).toBe(false);
    expect(visibilityMatches('back\\slash')).toBe(false);
  });
});
