import { NOT_AN_OBJECT, previewProperties } from './preview-properties';

describe("the preview's properties", () => {
  it('reads a JSON object, and empty as no properties', () => {
    expect(previewProperties('{"amount": 25, "tags": ["a"]}')).toEqual({ ok: true, properties: { amount: 25, tags: ['a'] } });
    expect(previewProperties('')).toEqual({ ok: true, properties: {} });
    expect(previewProperties('  ')).toEqual({ ok: true, properties: {} });
    expect(previewProperties('{"orderId": "12345678901234567890", "big": 9007199254740991}')).toEqual({ ok: true, properties: { orderId: '12345678901234567890', big: 9007199254740991 } });
  });

  it('refuses what is not a JSON object', () => {
    for (const text of ['[1, 2]', '5', 'null', '{"amount": ', '"x"']) expect(previewProperties(text)).toEqual({ ok: false, message: NOT_AN_OBJECT });
  });

  it('refuses a key written twice instead of running for its last value, as the tabs and the API say it', () => {
    expect(previewProperties('{"amount": 5, "amount": 50}')).toEqual({
      ok: false,
      message: 'properties.amount: the key "amount" appears twice in one object; JSON keeps only the last, so say it once.',
    });
    expect(previewProperties('{"cart": {"items": [{"sku": "a", "sku": "b"}]}}')).toMatchObject({ ok: false, message: expect.stringMatching(/^properties\.cart\.items\[0\]\.sku: the key "sku" appears twice/) });
  });

  it('refuses a whole number past 2^53 instead of sending other digits, naming the digits typed', () => {
    expect(previewProperties('{"orderId": 12345678901234567890}')).toEqual({
      ok: false,
      message: 'properties.orderId: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "12345678901234567890".',
    });
  });
});
