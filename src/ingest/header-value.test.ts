import fc from 'fast-check';
import { headers } from 'nats';
import { headerValue, MAX_HEADER_VALUE_CHARS } from './header-value';

describe('headerValue: a reason as a header value any broker takes', () => {
  it("puts a JSON.parse error that quotes the message's lines on one line", () => {
    const reason = `the message is not JSON (Unexpected token 'x', "{\n "a": x\r\n}" is not valid JSON)`;
    expect(headerValue(reason)).toBe(`the message is not JSON (Unexpected token 'x', "{  "a": x }" is not valid JSON)`);
  });

  it('makes each run of control characters and line separators one space, and trims the ends', () => {
    expect(headerValue('\n\ta\u0000\u0007b\u007f\u0085c\u2028\u2029d\r\n')).toBe('a b c d');
    expect(headerValue('plain text, kept as it is: é 😀 $.a[0]')).toBe('plain text, kept as it is: é 😀 $.a[0]');
  });

  it('keeps at most the cap, never half a surrogate pair', () => {
    expect(headerValue('x'.repeat(5000))).toHaveLength(MAX_HEADER_VALUE_CHARS);
    // The cap falls between the two halves of the emoji: the emoji goes, not half of it.
    expect(headerValue(`${'x'.repeat(9)}😀`, 10)).toBe('x'.repeat(9));
    expect(headerValue(`${'x'.repeat(8)}😀`, 10)).toBe(`${'x'.repeat(8)}😀`);
  });

  it('is a value nats.js takes as a header, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        const value = headerValue(text);
        expect(value.length).toBeLessThanOrEqual(MAX_HEADER_VALUE_CHARS);
        expect(value).not.toMatch(/[\r\n]/);
        // nats.js throws BadHeader for a CR or LF, and trims: the value must go in, and come out as it went in.
        const h = headers();
        h.set('Kairos-Reason', value);
        expect(h.get('Kairos-Reason')).toBe(value);
      }),
    );
  });
});
