import type { UserEventsCursor } from '../../store/repositories/user-events.repository';
import { textProblem } from '../../domain/storable';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor';

/**
 * The longest cursor `encodeCursor` gives out, with room to spare: the
 * `?cursor=` bound must take every one back. An event id is up to 200 UTF-16
 * characters, and JSON writes a control character as `\u0001` (6 bytes), so
 * the worst position is `["<27-character time>","<1,200 bytes>"]`, 1,234
 * bytes, which base64 makes 1,646 characters.
 */
export const MAX_CURSOR_LENGTH = 2048;

export function encodeCursor(c: UserEventsCursor): string {
  return encodeKeysetCursor({ time: c.receivedAt, id: c.id });
}

/** The position a cursor names; a 400 at `cursor` for anything encodeCursor did not give out (the id is storable text). */
export function decodeCursor(text: string): UserEventsCursor {
  const { time, id } = decodeKeysetCursor(text, 'cursor', (candidate) => textProblem(candidate) === null);
  return { receivedAt: time, id };
}

/**
 * Whether decodeCursor takes `text`: the query schema checks it with this, so a bad cursor is reported with the
 * request's other problems (the user id, the limit) at once rather than only once they are fixed.
 */
export function isCursor(text: string): boolean {
  try {
    decodeCursor(text);
    return true;
  } catch {
    return false;
  }
}
