import { emptyRound, roundLine, tallyRound } from './relay-round';

describe('what a relay round says', () => {
  it('a round whose every send failed is a warning with the reason, not "resent"', () => {
    const round = emptyRound();
    tallyRound(round, [
      { id: 1, error: 'Temporal did not answer within 5000 ms', retryInMs: 2000 },
      { id: 2, error: 'connection refused', retryInMs: 2000 },
      { id: 3, deferred: true },
    ]);
    expect(round).toEqual({ closed: 0, failed: 2, deferred: 1, firstError: 'Temporal did not answer within 5000 ms' });
    expect(roundLine(round)).toEqual({
      level: 'warn',
      text: 'No queued delivery reached Temporal this round: 2 wait for their next try (Temporal did not answer within 5000 ms); accepted events are kept in the outbox until it answers',
    });
  });

  it('a round that delivered says how many, and how many still wait; one that claimed nothing says nothing', () => {
    const round = emptyRound();
    tallyRound(round, [{ id: 1, outcome: 'delivered' }, { id: 2, outcome: 'not-running' }, { id: 3, outcome: 'dead', reason: 'x' }]);
    expect(roundLine(round)).toEqual({ level: 'log', text: 'Relayed 3 queued deliveries to journeys' });
    tallyRound(round, [{ id: 4, error: 'busy', retryInMs: 1 }]);
    expect(roundLine(round)).toEqual({ level: 'log', text: 'Relayed 3 queued deliveries to journeys; 1 wait for their next try (busy)' });
    expect(roundLine(emptyRound())).toBeNull();
  });

  it('a round that only handed its rows back untried (its lease ran short) is a warning, not silence', () => {
    const handedBack = emptyRound();
    tallyRound(handedBack, [
      { id: 5, deferred: true },
      { id: 6, deferred: true },
    ]);
    expect(roundLine(handedBack)).toEqual({
      level: 'warn',
      text: "No queued delivery reached Temporal this round: 2 handed back untried (their claim's lease ran short before a call could start: a slow claim?); they are claimed again next round",
    });
  });
});
