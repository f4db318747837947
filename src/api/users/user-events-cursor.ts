import type { UserEventsCursor } from '../../store/repositories/user-events.repository';
import { StorableTimestamp, textProblem } from '../../domain/storable';
import { InputError } from '../common/errors';

/**
 * The longest cursor `encodeCursor` gives out, with room to spare: the
 * `?cursor=` bound must take every one back. An event id is up to 200 UTF-16
 * characters, and JSON writes a control character as `\u0001` (6 bytes), so
 * the worst position is `["<27-character time>","<1,200 bytes>"]`, 1,234
 * bytes, which base64 makes 1,646 characters.
 */
export const MAX_CURSOR_LENGTH = 2048;

/** Opaque to clients: base64url of the JSON keyset position. */
export function encodeCursor(c: UserEventsCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

/** The position a cursor names; a 400 at `cursor` for anything encodeCursor did not give out. */
export function decodeCursor(text: string): UserEventsCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Checked as PostgreSQL will take them: a forged date it cannot store (2026-02-30, year 0) is no cursor either.
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && StorableTimestamp.safeParse(value[0]).success && typeof value[1] === 'string' && textProblem(value[1]) === null) {
      return { receivedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through: refused below
  }
  throw new InputError([{ path: 'cursor', message: 'not a cursor this API gave out; pass the `next` of the previous page' }]);
}
