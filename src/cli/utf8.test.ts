import { firstNonUtf8, hasLoneSurrogate, notUtf8Message } from './utf8';

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

// Review 59 (CLI), finding 5: UTF-16 is said as such, with or without its BOM.
describe('firstNonUtf8 on UTF-16', () => {
  it('tells UTF-16 by its BOM, or by NUL in every other byte, at 1:1', () => {
    const text = 'key: a\nname: Ü\n';
    expect(firstNonUtf8(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toMatchObject({ line: 1, col: 1, utf16: 'utf-16' });
    expect(firstNonUtf8(Buffer.from(text, 'utf16le'))).toMatchObject({ line: 1, col: 1, utf16: 'utf-16le' });
    expect(firstNonUtf8(Buffer.from(text, 'utf16le').swap16())).toMatchObject({ line: 1, col: 1, utf16: 'utf-16be' });
    expect(notUtf8Message(firstNonUtf8(Buffer.from(text, 'utf16le'))!)).toMatch(/UTF-16.*Out-File -Encoding utf8.*iconv -f utf-16le -t utf-8/);
  });

  it('leaves UTF-8 holding a NUL here and there as UTF-8', () => {
    expect(firstNonUtf8(Buffer.from('{"a":"x\u0000y"}\n'))).toBeUndefined();
    expect(firstNonUtf8(Buffer.from('ab\u0000'))).toBeUndefined();
  });
});
