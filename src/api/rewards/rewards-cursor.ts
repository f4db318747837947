import { StorableTimestamp } from '../../domain/storable';
import type { RewardPosition } from '../../store/repositories/rewards.repository';
import { InputError } from '../common/errors';

/**
 * The longest cursor `encodeRewardsCursor` gives out is 108 characters
 * (base64url of `["<27-character time>","<36-character uuid>"]`, 70 bytes);
 * the bound on `?before=` leaves room without taking arbitrary text.
 */
export const MAX_REWARDS_CURSOR_LENGTH = 256;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of the JSON keyset position. */
export function encodeRewardsCursor(p: RewardPosition): string {
  return Buffer.from(JSON.stringify([p.issuedAt, p.id])).toString('base64url');
}

/** The position a cursor names; a 400 at `before` for anything encodeRewardsCursor did not give out. */
export function decodeRewardsCursor(text: string): RewardPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Checked as PostgreSQL will take them (a timestamptz it can store, a uuid): a forged one is a 400, never its 22xxx.
    if (Array.isArray(value) && value.length === 2) {
      const [time, id]: unknown[] = value;
      const issuedAt = StorableTimestamp.safeParse(time);
      if (issuedAt.success && typeof id === 'string' && UUID.test(id)) return { issuedAt: issuedAt.data, id };
    }
  } catch {
    // fall through: refused below
  }
  throw new InputError([{ path: 'before', message: 'not a cursor this API gave out; pass the `next` of the previous answer' }]);
}
