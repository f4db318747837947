import { firstNonUtf8, hasLoneSurrogate } from './utf8';

const bytes = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('firstNonUtf8', () => {
  it('finds nothing in UTF-8, U+FFFD and four-byte characters included', () => {
    expect(firstNonUtf8(bytes('Grüße, 注文 ✓ \ufffd 😀\n'))).toBeUndefined();
  });

  it('gives the line and the column (in characters before it) of the first byte that is not UTF-8', () => {
    expect(firstNonUtf8(bytes('a\nüb\n\ufffdc', [0xfc], 'd'))).toEqual({ line: 3, col: 3, byte: 0xfc });
    expect(firstNonUtf8(bytes([0xff], 'x'))).toEqual({ line: 1, col: 1, byte: 0xff });
  });

  it('refuses what the API refuses: a cut sequence, an overlong one, an encoded surrogate', () => {
    expect(firstNonUtf8(bytes('ab', [0xe2, 0x82]))).toEqual({ line: 1, col: 3, byte: 0xe2 });
    expect(firstNonUtf8(bytes([0xc0, 0xaf]))).toEqual({ line: 1, col: 1, byte: 0xc0 });
    expect(firstNonUtf8(bytes('x', [0xed, 0xa0, 0x80]))).toEqual({ line: 1, col: 2, byte: 0xed });
  });
});

describe('hasLoneSurrogate', () => {
  it('tells half a pair from a whole one', () => {
    expect([hasLoneSurrogate('bad\ud800'), hasLoneSurrogate('\udc00x'), hasLoneSurrogate('ok 😀'), hasLoneSurrogate('plain')]).toEqual([true, true, false, false]);
  });
});
