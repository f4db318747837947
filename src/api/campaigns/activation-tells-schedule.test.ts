import { fakeCampaigns } from './fake-campaigns.test-support';

/** A campaign entering on orders; its schedule ends at `endsAt` (none when absent). */
const ending = (endsAt?: string) => ({
  key: 'welcome',
  name: 'Welcome',
  entry: { on: 'order.completed' },
  ...(endsAt ? { schedule: { endsAt } } : {}),
  initial: 'done',
  states: { done: { end: true } },
});

describe('activation tells running journeys the schedule end when it moves (patch schedule-end-follows-activation)', () => {
  it('tells when the replaced version ended otherwise, and not when it ended alike or none ran before', async () => {
    const moved = fakeCampaigns('active', { definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z') } });
    await moved.service.activate('welcome', 2);
    expect(moved.told).toEqual(['welcome']);
    const alike = fakeCampaigns('active', { definitions: { 1: ending('2030-01-01T00:00:00Z'), 2: ending('2030-01-01T00:00:00Z') } });
    await alike.service.activate('welcome', 2);
    expect(alike.told).toEqual([]);
    const first = fakeCampaigns('draft', { definitions: { 2: ending('2030-01-01T00:00:00Z') } });
    await first.service.activate('welcome', 2);
    expect(first.told).toEqual([]);
  });

  it('compares with the version the change replaced under the lock, not the one read before it', async () => {
    // v1 (no end) was read; v3 (its end like v1's: none) is activated, but v2 (an end) became active in between.
    const raced = fakeCampaigns('active', {
      definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z'), 3: ending() },
      beforeChange: (row) => {
        row.activeVersion = 2;
      },
    });
    await raced.service.activate('welcome', 3);
    expect(raced.told).toEqual(['welcome']);
  });

  it('tells again when the active version is activated again, paused or not, while another version that took entries ends otherwise', async () => {
    const paused = fakeCampaigns('paused', { activeVersion: 2, definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z') } });
    await paused.service.activate('welcome', 2);
    expect(paused.told).toEqual(['welcome']);
    // One version only (or all ending alike): a resume needs no Temporal.
    const alone = fakeCampaigns('paused', { definitions: { 1: ending('2030-01-01T00:00:00Z') } });
    await alone.service.activate('welcome', 1);
    expect(alone.told).toEqual([]);
  });
});

// Review 59 (API), finding 1: the activation the docs, the CLI and the console send carries ifActiveVersion, and
// its 503 (the journeys not told) asks for it to be sent again: that send must tell them, not answer 409.
describe('an activation sent again with its ifActiveVersion, once its version is active', () => {
  it('is met: it tells the running journeys again instead of answering active_version_changed', async () => {
    const again = fakeCampaigns('active', { activeVersion: 2, definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z') } });
    await expect(again.service.activate('welcome', 2, ['draft', 'active'], 1)).resolves.toMatchObject({ status: 'active', activeVersion: 2 });
    expect(again.told).toEqual(['welcome']);
  });

  it('is met when its first send lands between its read and its change (the compare-and-set retried as a re-send)', async () => {
    const raced = fakeCampaigns('active', {
      activeVersion: 1,
      definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z') },
      beforeChange: (row) => {
        row.activeVersion = 2;
      },
    });
    await expect(raced.service.activate('welcome', 2, ['draft', 'active'], 1)).resolves.toMatchObject({ status: 'active', activeVersion: 2 });
    expect(raced.told).toEqual(['welcome']);
  });

  it('still answers 409 when another version is active, or the campaign is paused at this one', async () => {
    const other = fakeCampaigns('active', { activeVersion: 3, definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z'), 3: ending() } });
    await expect(other.service.activate('welcome', 2, ['draft', 'active'], 1)).rejects.toMatchObject({ code: 'active_version_changed' });
    const paused = fakeCampaigns('paused', { activeVersion: 2, definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z') } });
    await expect(paused.service.activate('welcome', 2, ['draft', 'active', 'paused'], 1)).rejects.toMatchObject({ code: 'active_version_changed' });
    // Switched to another version meanwhile: not this activation's own, so a 409 naming it.
    const switched = fakeCampaigns('active', {
      activeVersion: 1,
      definitions: { 1: ending(), 2: ending('2030-01-01T00:00:00Z'), 3: ending() },
      beforeChange: (row) => {
        row.activeVersion = 3;
      },
    });
    await expect(switched.service.activate('welcome', 2, ['draft', 'active'], 1)).rejects.toMatchObject({ code: 'active_version_changed' });
    expect([...other.told, ...paused.told, ...switched.told]).toEqual([]);
  });
});
