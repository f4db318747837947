import { journeyLogProfile, lookupsProfile, mustCompleteProfile } from './activity-profiles';

/** The SDK schedules a local activity's retry with a workflow timer past this backoff (its localRetryThreshold default). */
const LOCAL_RETRY_THRESHOLD_MS = 60_000;

const ms = (d: unknown) => {
  const m = /^(\d+) (milliseconds|seconds|minutes)$/.exec(String(d));
  if (!m) throw new Error(`unexpected duration ${String(d)}`);
  return Number(m[1]) * { milliseconds: 1, seconds: 1_000, minutes: 60_000 }[m[2] as 'milliseconds' | 'seconds' | 'minutes'];
};

describe('activity profiles', () => {
  it('retries the journey\'s lookups until they succeed: one that gave up would fail the journey itself', () => {
    // Twenty attempts were about three minutes of a PostgreSQL outage; the journeys that read meanwhile were lost.
    for (const profile of [lookupsProfile, journeyLogProfile, mustCompleteProfile]) expect(profile.retry?.maximumAttempts).toBeUndefined();
  });

  it('keeps the local activities\' backoff under the local retry threshold, so an outage adds no timers to a history', () => {
    for (const profile of [lookupsProfile]) expect(ms(profile.retry?.maximumInterval)).toBeLessThan(LOCAL_RETRY_THRESHOLD_MS);
  });
});
