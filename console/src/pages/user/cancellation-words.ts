import { rewardName, type RewardFacts } from './reward-words';

/** An event support cancelled: its type when known, and the reason given. */
export interface CancelledEvent {
  id: string;
  type: string | null;
  cancelReason: string | null;
}

/** A reward the cancelled event helped cause, with its status in the ledger now. */
export interface TakenBack extends RewardFacts {
  status: string;
}

/**
 * A cancel in one sentence: "order.completed o-1 cancelled by support
 * (refund 7781): coupon WELCOME-10 reclaimed, 50 points reclaimed".
 * Reclaiming runs after the cancel, so a reward still held is being taken
 * back; one the user had already used up could not be. With no rewards,
 * `unknown` says what the desk cannot see ("what it took back is not known
 * here (…)"); null only when it knows nothing was to be taken back.
 */
export function cancellationSentence(event: CancelledEvent, rewards: TakenBack[], unknown: string | null = null): string {
  const subject = `${event.type ? `${event.type} ` : 'event '}${event.id} cancelled by support${event.cancelReason ? ` (${event.cancelReason})` : ''}`;
  if (rewards.length === 0) return `${subject}: ${unknown ?? 'nothing to take back'}`;
  return `${subject}: ${rewards.map(takenBack).join(', ')}`;
}

function takenBack(r: TakenBack): string {
  const name = rewardName(r);
  switch (r.status) {
    case 'reclaimed':
      return `${name} reclaimed`;
    case 'unreclaimable':
      return `${name} could not be taken back`;
    default:
      return `${name} being taken back`;
  }
}
