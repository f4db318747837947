import { isUtf8 } from 'node:buffer';

/** The first byte of a text that is not UTF-8, with its line and column (both from 1; the column in characters before it). */
export interface NotUtf8 {
  line: number;
  col: number;
  byte: number;
}

/**
 * Where `bytes` stop being UTF-8, or undefined when they are UTF-8 all
 * through. Decoding them as 'utf8' would replace each bad byte by U+FFFD
 * without a word: a Latin-1 `ord-ü1` and `ord-ö1` would both be sent as
 * `ord-\ufffd1`, one event id, and the second answered as a duplicate. The
 * API refuses such bodies for that reason (src/api/common/json-body.ts, with
 * the same isUtf8); the CLI must not repair them on the way.
 */
export function firstNonUtf8(bytes: Buffer): NotUtf8 | undefined {
  if (isUtf8(bytes)) return undefined;
  const offset = firstBadByteOffset(bytes);
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const line = countNewlines(bytes, lineStart) + 1;
  // The bytes before the bad one are UTF-8: their text's length is the column.
  const col = bytes.subarray(lineStart, offset).toString('utf8').length + 1;
  return { line, col, byte: bytes[offset] };
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
export function notUtf8Message({ byte }: NotUtf8): string {
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
