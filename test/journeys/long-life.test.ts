import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { HISTORY_BOUND } from '../../src/workflows/journey/shell';

// Enough for at least two continue-as-new (a run continues at CONTINUE_AT history events, about one per event).
const EVENTS = 5_000;

describe('a long-lived journey continues as new without losing or double-counting anything', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it(`takes ${EVENTS} events across several runs, each under ${HISTORY_BOUND} history events`, async () => {
    const c = {
      key: 'marathon',
      version: await h.seedCampaign({
        key: 'marathon',
        name: 'marathon',
        entry: { on: 'start' },
        initial: 'counting',
        states: {
          counting: { transitions: [{ to: 'done', when: `count('tick') >= ${EVENTS}` }] },
          done: { actions: { steps: [{ type: 'points', amount: "count('tick')" }] }, end: true },
        },
      }),
    };
    await h.send(c, { id: 'go', type: 'start', userId: 'runner' });
    const ids = Array.from({ length: EVENTS }, (_, i) => `t${i}`);
    // Waves paced by the journey's own progress, as one user's events arrive in
    // life: a journey fed thousands of signals a second without pause cannot
    // complete continue-as-new (each rejected completion replays the run).
    const wave = 250;
    const inFlight = 8;
    for (let w = 0; w < ids.length; w += wave) {
      const waveIds = ids.slice(w, w + wave);
      for (let i = 0; i < waveIds.length; i += inFlight) {
        await Promise.all(waveIds.slice(i, i + inFlight).map((id) => h.send(c, { id, type: 'tick', userId: 'runner' }, 'signal')));
      }
      // Redelivery of a recent event (an outbox retry) must not count twice.
      await h.send(c, { id: waveIds[3], type: 'tick', userId: 'runner' }, 'signal');
      if (w + wave < ids.length) {
        // Generous: on a loaded 2-core machine a wave can take a minute to be taken in.
        await h.waitForView('marathon', 'runner', (v) => Number(v.paths[0]?.aggregates["count('tick')"] ?? 0) >= w + wave, 240_000);
      }
    }
    const result = await h.handle('marathon', 'runner').result();
    expect(result.status).toBe('ended');

    const [reward] = await h.db.dataSource.query(`select amount::float as amount from rewards where campaign_key = 'marathon'`);
    expect(reward.amount).toBe(EVENTS);

    const runs: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "journey:marathon:runner"` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThan(2);
    for (const runId of runs) {
      const history = await h.client.workflow.getHandle('journey:marathon:runner', runId).fetchHistory();
      expect(history.events!.length).toBeLessThan(HISTORY_BOUND);
    }
  }, 900_000);
});
