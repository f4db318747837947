import { KairosApiError } from '../api';
import { clock } from './clock';

/**
 * A refresh Kairos (or a proxy in front of it) turned away with 429, too many
 * requests: the panel keeps what it showed and says when it asks again, a
 * wait rather than a failure (ErrorBox shows it as a notice).
 */
export class Busy extends Error {
  constructor(
    readonly until: Date,
    cause: unknown,
  ) {
    super(`Kairos is busy (429: too many requests) and asked the console to wait: this panel asks again at ${clock(until)}.`, { cause });
    this.name = 'Busy';
  }
}

/** `error` as the panel says it: a 429 of a page that refreshes (due again in `nextInMs`) is a Busy; anything else stays as it is. */
export function asBusy(error: unknown, nextInMs: number | undefined, now = Date.now()): unknown {
  if (!(error instanceof KairosApiError) || error.status !== 429 || nextInMs === undefined) return error;
  return new Busy(new Date(now + nextInMs), error);
}
