import { addDataField, dataValueText, removeDataField, renameDataField, setDataValue } from './message-data';

describe("a message step's data, as the canvas edits it", () => {
  it('adds fields under free names, empty, after the others', () => {
    const one = addDataField(undefined);
    expect(one).toEqual({ field1: '' });
    const two = addDataField({ field1: 'a', name: 'user.firstName' });
    expect(Object.keys(two)).toEqual(['field1', 'name', 'field2']);
    expect(two.field2).toBe('');
  });

  it('sets a value in place, as text', () => {
    const data = setDataValue({ a: '1', b: 'user.tier' }, 'a', 'event.amount * 2');
    expect(Object.entries(data)).toEqual([
      ['a', 'event.amount * 2'],
      ['b', 'user.tier'],
    ]);
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
