import { journeyStateSearchAttribute } from '../../src/workflows/journey/contract';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

/** Three parallel paths, each waiting in its own 90-character state: "a…,b…,c…" is 272 characters. */
const long = (c: string) => c.repeat(90);
const wide = {
  key: 'wide-states',
  name: 'Wide states',
  entry: { on: 'visit' },
  participation: { mode: 'parallel', maxActive: 3, maxEntries: 3 },
  initial: 'start',
  states: {
    start: {
      transitions: [
        { to: long('a'), when: 'journey.entries == 1' },
        { to: long('b'), when: 'journey.entries == 2' },
        { to: long('c'), when: 'journey.entries == 3' },
      ],
    },
    [long('a')]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    [long('b')]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    [long('c')]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    done: { end: true },
  },
};

describe('JourneyState fits what Temporal visibility stores (patch journey-state-fits)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('lists the states that fit in 255 characters and counts the rest', async () => {
    const c = { key: wide.key, version: await h.seedCampaign(wide) };
    for (const id of ['w1', 'w2', 'w3']) await h.send(c, { id, type: 'visit', userId: 'u' });
    await h.waitForView(wide.key, 'u', (v) => v.paths.length === 3);
    const shown = async () =>
      (await h.handle(wide.key, 'u').describe()).typedSearchAttributes.getAll().find((p) => p.key.name === journeyStateSearchAttribute.name)?.value;
    let value: unknown;
    for (let i = 0; i < 50 && value !== `${long('a')},${long('b')},…+1`; i++) {
      value = await shown();
      if (value !== `${long('a')},${long('b')},…+1`) await new Promise((r) => setTimeout(r, 200));
    }
    expect(value).toBe(`${long('a')},${long('b')},…+1`);
  });
});
