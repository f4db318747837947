import { refusedTextWords, withRefusal } from './pending-fields';

describe('text a field could not apply (a refused state name)', () => {
  const refused = { label: 'State name', text: 'vip users', why: '"vip users" is not a state name' };

  it('is kept per field, cleared by that field alone, and nothing changes (no render) when it is the same', () => {
    const one = withRefusal({}, 'a', refused);
    expect(one).toEqual({ a: refused });
    expect(withRefusal(one, 'a', { ...refused })).toBe(one);
    const two = withRefusal(one, 'b', { ...refused, text: 'done' });
    expect(Object.keys(withRefusal(two, 'a', null))).toEqual(['b']);
    expect(withRefusal(one, 'b', null)).toBe(one);
  });

  it("is named in Save's refusal with its label, its text and why", () => {
    expect(refusedTextWords(refused)).toBe('State name "vip users" was not applied ("vip users" is not a state name)');
  });
});
