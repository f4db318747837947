import type { RewardPosition } from '../../store/repositories/rewards.repository';
import { isUuid } from '../../domain/storable';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor';

/**
 * The longest cursor `encodeRewardsCursor` gives out is 108 characters
 * (base64url of `["<27-character time>","<36-character uuid>"]`, 70 bytes);
 * the bound on `?before=` leaves room without taking arbitrary text.
 */
export const MAX_REWARDS_CURSOR_LENGTH = 256;

export function encodeRewardsCursor(p: RewardPosition): string {
  return encodeKeysetCursor({ time: p.issuedAt, id: p.id });
}

/** The position a cursor names; a 400 at `before` for anything encodeRewardsCursor did not give out (the id is a uuid). */
export function decodeRewardsCursor(text: string): RewardPosition {
  const { time, id } = decodeKeysetCursor(text, 'before', isUuid);
  return { issuedAt: time, id };
}
