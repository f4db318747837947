// Integration suites run on two workers; a long suite that starts last keeps
// the run going alone for minutes. Jest orders by the durations it cached in
// an earlier run, which a fresh clone (CI) does not have, and then by file
// size. These suites, measured slowest (2-4 minutes each on a loaded
// two-core machine), start first; the rest keep Jest's order.
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST_FIRST = [
  'test/npm-start.test.ts',
  'test/sources-isolation.test.ts',
  'test/journeys/long-life.test.ts',
  'test/fuzz.test.ts',
  'test/console.test.ts',
  'test/replay/slow-start.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = SLOWEST_FIRST.findIndex((p) => t.path.endsWith(p));
      return i === -1 ? SLOWEST_FIRST.length : i;
    };
    const rest = super.sort(tests.filter((t) => rank(t) === SLOWEST_FIRST.length));
    const slow = tests.filter((t) => rank(t) < SLOWEST_FIRST.length).sort((a, b) => rank(a) - rank(b));
    return Promise.resolve(rest).then((r) => [...slow, ...r]);
  }
}

module.exports = SlowFirstSequencer;
