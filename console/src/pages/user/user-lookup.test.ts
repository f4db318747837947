import { lookedUpId, spacesHint } from './user-lookup';

describe('the user id the support desk looks up', () => {
  // ` sp-1` and `sp-1` are two users to Kairos: the desk must not show the second for the first.
  it('is the id as typed, spaces and all', () => {
    expect(lookedUpId(' sp-1')).toBe(' sp-1');
    expect(lookedUpId('sp-1 ')).toBe('sp-1 ');
    expect(lookedUpId('  ')).toBe('  ');
    expect(lookedUpId('u-42')).toBe('u-42');
  });

  it('is none when nothing was typed', () => {
    expect(lookedUpId('')).toBeNull();
  });

  it('says so under the field when the id starts or ends with white space', () => {
    expect(spacesHint(' sp-1')).toBe('This id starts with white space: it is looked up as typed, " sp-1".');
    expect(spacesHint('sp-1\t')).toBe('This id ends with white space: it is looked up as typed, "sp-1\\t".');
    expect(spacesHint(' a ')).toBe('This id starts and ends with white space: it is looked up as typed, " a ".');
    expect(spacesHint('  ')).toBe('This id is only white space: it is looked up as typed, "  ".');
    expect(spacesHint('sp 1')).toBeNull();
    expect(spacesHint('')).toBeNull();
  });
});
