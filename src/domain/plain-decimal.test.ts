import { plainDecimal } from './plain-decimal';

describe('plainDecimal', () => {
  it('writes the digits JavaScript prints without an exponent, reading back as the same number', () => {
    for (const n of [0, 1, -3, 0.01, 2.5, 123456.789, 1e-7, 5e-7, 1.2345e-7, 5e-324, 1e21, 1.2345e21, -9.87e25, 1.7976931348623157e308, Number.MIN_VALUE, 0.1 + 0.2]) {
      const text = plainDecimal(n);
      expect({ n, plain: /^-?\d+(?:\.\d+)?$/.test(text), back: Number(text) }).toEqual({ n, plain: true, back: n });
    }
    expect(plainDecimal(1.2345e-7)).toBe('0.00000012345');
    expect(plainDecimal(1.2345e21)).toBe('1234500000000000000000');
  });
});
