import { addDataField, dataValueText, removeDataField, renameDataField, setDataValue } from './message-data';

describe("a message step's data, as the canvas edits it", () => {
  it('adds fields under free names, empty, after the others', () => {
    const one = addDataField(undefined);
    expect(one).toEqual({ field1: '' });
    const two = addDataField({ field1: 'a', name: 'user.firstName' });
    expect(Object.keys(two)).toEqual(['field1', 'name', 'field2']);
    expect(two.field2).toBe('');
  });

  const set = (...args: Parameters<typeof setDataValue>) => {
    const result = setDataValue(...args);
    if ('problem' in result) throw new Error(result.problem);
    return result.data;
  };

  it('sets a text value in place, as text', () => {
    const data = set({ a: '1', b: 'user.tier' }, 'a', 'event.amount * 2');
    expect(Object.entries(data)).toEqual([
      ['a', 'event.amount * 2'],
      ['b', 'user.tier'],
    ]);
    // A name every object inherits is no field of this one: its value is text too.
    expect(set({}, 'toString', '{"a":1}')).toEqual({ toString: '{"a":1}' });
  });

  it('reads a value that was not text back from its JSON, so an object stays an object', () => {
    expect(set({ cta: { a: 1 } }, 'cta', '{"a":2}')).toEqual({ cta: { a: 2 } });
    const data = { first: 'user.firstName', cta: { url: 'https://x/p', label: 'Shop' }, n: 3 };
    const edited = set(data, 'cta', dataValueText(data.cta).replace('Shop', 'Shop now'));
    expect(Object.entries(edited)).toEqual([
      ['first', 'user.firstName'],
      ['cta', { url: 'https://x/p', label: 'Shop now' }],
      ['n', 3],
    ]);
    expect(set(data, 'n', '4')).toMatchObject({ n: 4 });
    expect(set({ on: true }, 'on', 'false')).toEqual({ on: false });
    expect(set({ list: [1] }, 'list', '[1, 2]')).toEqual({ list: [1, 2] });
    // Quoted, it becomes text (an expression when it parses as one) and is edited as text from then on.
    expect(set({ n: 3 }, 'n', '"user.level"')).toEqual({ n: 'user.level' });
  });

  it('refuses JSON that does not read, or that JSON.parse would change, with the reason', () => {
    expect(setDataValue({ cta: { a: 1 } }, 'cta', '{"a":2')).toEqual({ problem: expect.stringMatching(/^this field holds an object, edited as JSON: .*double quotes/) });
    expect(setDataValue({ n: 3 }, 'n', 'user.level')).toEqual({ problem: expect.stringContaining('this field holds a number, edited as JSON') });
    expect(setDataValue({ cta: { a: 1 } }, 'cta', '{"a":1,"a":2}')).toEqual({ problem: expect.stringContaining('the key "a" appears twice') });
    expect(setDataValue({ id: 1 }, 'id', '12345678901234567890')).toEqual({ problem: expect.stringContaining('past 2^53') });
  });

  it('renames in place, and refuses a blank or taken name', () => {
    expect(renameDataField({ a: 'x', b: 'y', c: 'z' }, 'b', ' name ')).toEqual({ data: { a: 'x', name: 'y', c: 'z' } });
    expect(Object.keys((renameDataField({ a: 'x', b: 'y', c: 'z' }, 'b', 'name') as { data: object }).data)).toEqual(['a', 'name', 'c']);
    expect(renameDataField({ a: 'x', b: 'y' }, 'b', 'a')).toEqual({ problem: 'there is already a data field "a"' });
    expect(renameDataField({ a: 'x' }, 'a', '  ')).toEqual({ problem: 'a data field needs a name' });
    expect(renameDataField({ a: 'x' }, 'a', 'a')).toEqual({ data: { a: 'x' } });
    // A name every object inherits is no field of this one.
    expect(renameDataField({ a: 'x' }, 'a', 'toString')).toEqual({ data: { toString: 'x' } });
  });

  it('removes a field; the last one gone leaves no data at all', () => {
    expect(removeDataField({ a: 'x', b: 'y' }, 'a')).toEqual({ b: 'y' });
    expect(removeDataField({ a: 'x' }, 'a')).toBeUndefined();
  });

  it('shows strings as they are and other values as JSON', () => {
    expect(dataValueText('user.firstName')).toBe('user.firstName');
    expect(dataValueText(3)).toBe('3');
    expect(dataValueText({ a: [1] })).toBe('{"a":[1]}');
  });
});
