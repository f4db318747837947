import { StorableTimestamp } from '../../domain/storable';
import { InputError } from './errors';

/** A keyset position: a time, to the microsecond as PostgreSQL keeps it, and the id that orders rows of one time. */
export interface KeysetPosition {
  time: string;
  id: string;
}

/** Opaque to clients: base64url of the JSON position. */
export function encodeKeysetCursor(p: KeysetPosition): string {
  return Buffer.from(JSON.stringify([p.time, p.id])).toString('base64url');
}

/**
 * The position a cursor names, checked as PostgreSQL will take it (a time it
 * can store: a forged 2026-02-30 or year 0 is no cursor; an id `idOk`
 * accepts), so anything encodeKeysetCursor did not give out is a 400 at
 * `path`, never PostgreSQL's 22xxx.
 */
export function decodeKeysetCursor(text: string, path: string, idOk: (id: string) => boolean): KeysetPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [time, id]: unknown[] = value;
      const parsed = StorableTimestamp.safeParse(time);
      if (parsed.success && typeof id === 'string' && idOk(id)) return { time: parsed.data, id };
    }
  } catch {
    // fall through: refused below
  }
  throw new InputError([{ path, message: 'not a cursor this API gave out; pass the `next` of the previous answer' }]);
}
