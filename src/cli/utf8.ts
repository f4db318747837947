import { isUtf8 } from 'node:buffer';

/** The first byte of a text that is not UTF-8, with its line and column (both from 1; the column in characters before it). */
export interface NotUtf8 {
  line: number;
  col: number;
  byte: number;
  /** Set when the text is UTF-16 (then at 1:1): the encoding iconv converts it from. */
  utf16?: Utf16;
}

/** UTF-16 as iconv names it: `utf-16` reads the byte order from the BOM; without one, the order found is said. */
type Utf16 = 'utf-16' | 'utf-16le' | 'utf-16be';

/**
 * Where `bytes` stop being UTF-8, or undefined when they are UTF-8 all
 * through. Decoding them as 'utf8' would replace each bad byte by U+FFFD
 * without a word: a Latin-1 `ord-ü1` and `ord-ö1` would both be sent as
 * `ord-\ufffd1`, one event id, and the second answered as a duplicate. The
 * API refuses such bodies for that reason (src/api/common/json-body.ts, with
 * the same isUtf8); the CLI must not repair them on the way.
 */
export function firstNonUtf8(bytes: Buffer): NotUtf8 | undefined {
  const utf16 = utf16Of(bytes);
  if (utf16) return { line: 1, col: 1, byte: bytes[0], utf16 };
  if (isUtf8(bytes)) return undefined;
  const offset = firstBadByteOffset(bytes);
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const line = countNewlines(bytes, lineStart) + 1;
  // The bytes before the bad one are UTF-8: their text's length is the column.
  const col = bytes.subarray(lineStart, offset).toString('utf8').length + 1;
  return { line, col, byte: bytes[offset] };
}

/** How much of the start of a text is looked at for UTF-16 without a BOM. */
const UTF16_SAMPLE_BYTES = 512;

/**
 * Whether `bytes` are UTF-16, the text Windows PowerShell 5's `>` and
 * Out-File write (and Notepad's "Unicode"): a BOM (FF FE, FE FF), or,
 * without one, a NUL in every other byte of its start, as text of Latin
 * letters has. NUL is UTF-8, so such a file would pass as UTF-8 and every
 * line read "not JSON"; no JSON or YAML text holds NUL, and UTF-8 with a
 * NUL here and there (not every other byte) is left to the parser.
 */
function utf16Of(bytes: Buffer): Utf16 | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'utf-16';
  // A memchr over the bytes: most texts hold no NUL, and are not looked at further.
  if (!bytes.includes(0)) return undefined;
  const pairs = Math.floor(Math.min(bytes.length, UTF16_SAMPLE_BYTES) / 2);
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenNul++;
    if (bytes[2 * i + 1] === 0) oddNul++;
  }
  // Each character below U+0100 has a NUL for its high byte: after it (LE, 41 00) or before it (BE, 00 41).
  if (oddNul === pairs && evenNul === 0) return 'utf-16le';
  if (evenNul === pairs && oddNul === 0) return 'utf-16be';
  return undefined;
}

/**
 * The offset of the first byte Node's decoder replaces: it decodes valid
 * sequences as they are, so the first U+FFFD that the bytes do not spell out
 * (EF BF BD) marks it.
 */
function firstBadByteOffset(bytes: Buffer): number {
  let offset = 0;
  for (const char of bytes.toString('utf8')) {
    const spelled = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (char === '\ufffd' && !spelled) return offset;
    offset += Buffer.byteLength(char);
  }
  return Math.min(offset, bytes.length - 1);
}

function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/** What a person reads about such a byte: which one, why it is refused, and how to fix the file. */
export function notUtf8Message({ byte, utf16 }: NotUtf8): string {
  // Converted from cp1252, as said below, UTF-16 would become text full of NUL: it is said as what it is.
  if (utf16) {
    return `the text is UTF-16, not UTF-8 (Windows PowerShell 5's \`>\` and Out-File write UTF-16, as does Notepad's "Unicode"): save it as UTF-8, e.g. with Out-File -Encoding utf8 (or Set-Content -Encoding utf8) in PowerShell, or iconv -f ${utf16} -t utf-8`;
  }
  const hex = byte.toString(16).toUpperCase().padStart(2, '0');
  return `byte 0x${hex} is not UTF-8 (the CLI reads text as UTF-8 only): convert it, e.g. iconv -f cp1252 -t utf-8 from Windows-1252 or Latin-1; read as is, the byte would become U+FFFD, and two different ids could become one`;
}

/**
 * Whether `text` holds half of a UTF-16 surrogate pair alone: YAML and JSON
 * take the escape `"\ud800"`, but it is no character, UTF-8 has no bytes
 * for it, and a URL cannot carry it (encodeURIComponent throws "URI malformed").
 */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

export const LONE_SURROGATE_KEY =
  'the key holds half of a surrogate pair alone (an escape such as \\ud800 without its other half): that is no character, and no URL can carry it; fix the escape';
