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

  it('sends values with control characters elsewhere: TAB, LF, CR and backspace match nothing on the dev server, and the other controls go with them (review 61, finding 1)', () => {
    for (const odd of ['a\tb', 'a\nb', 'a\rb', 'a\bb', 'a\u001ab', 'a\u0001b', 'a\u001fb', 'a\u007fb', '\tlead', 'trail\r']) expect({ odd, matches: visibilityMatches(odd) }).toEqual({ odd, matches: false });
    // Past ASCII, nothing is escaped: these match as any other.
    for (const fine of ['a\u0085b', 'a\u2028b', 'zoë', 'a b', '日本']) expect({ fine, matches: visibilityMatches(fine) }).toEqual({ fine, matches: true });
  });

  it("sends values starting or ending with a ' elsewhere: Temporal strips every ' at either end, matching another value (review 61, finding 1)", () => {
    for (const odd of ["'quoted'", "'lead", "trail'", "''", "journey:c:o'"]) expect({ odd, matches: visibilityMatches(odd) }).toEqual({ odd, matches: false });
    expect(visibilityMatches("o'neil")).toBe(true);
  });
});
