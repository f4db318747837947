import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { DependencyUnavailableError } from '../common/errors';
import { CampaignVersionsService } from './campaign-versions.service';

/**
 * A JourneyGateway whose visibility counts answer as `answer` says, and
 * which records how many were in flight at once. `bounded` gives up on a
 * call after its time as the real one does (the count itself goes on).
 */
class FakeGateway {
  inFlight = 0;
  peak = 0;
  readonly asked: Array<number | undefined> = [];

  constructor(private readonly answer: (version: number | undefined) => Promise<number>) {}

  bounded<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('deadline exceeded')), timeoutMs);
      fn().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async countRunning(_key: string, version?: number): Promise<number> {
    this.asked.push(version);
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await this.answer(version);
    } finally {
      this.inFlight--;
    }
  }
}

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** A campaign activated after each of `versions` edits, `active` the one it points at now. */
function serviceWith(gateway: FakeGateway, versions: number, active = versions) {
  const campaigns = {
    get: async () => ({ key: 'weekly', name: 'Weekly', status: 'active', activeVersion: active, latestVersion: versions, createdAt: 'c', updatedAt: 'u' }),
    versionInfos: async () => Array.from({ length: versions }, (_, i) => ({ version: i + 1, createdAt: 'c', activatedAt: 'a', layout: null })),
  };
  return new CampaignVersionsService(campaigns as unknown as CampaignsRepository, gateway as unknown as JourneyGateway);
}

describe('GET /v1/campaigns/:key/running: bounded visibility counts (review 46, finding 4)', () => {
  afterEach(() => jest.useRealTimers());

  it('asks at most 8 counts at once however many versions took entries, the total first, then the active version, then newest first', async () => {
    const gateway = new FakeGateway((version) => after(5, version === undefined ? 1000 : version));
    const answer = await serviceWith(gateway, 50, 20).running('weekly');
    expect(gateway.peak).toBeLessThanOrEqual(8);
    expect(gateway.peak).toBeGreaterThan(1);
    expect(answer.total).toBe(1000);
    expect(answer.versions).toEqual(Array.from({ length: 50 }, (_, i) => ({ version: i + 1, running: i + 1 })));
    expect(gateway.asked.slice(0, 4)).toEqual([undefined, 20, 50, 49]);
    expect(gateway.asked).toHaveLength(51);
  });

  it('answers within one deadline for them all: a version not counted by then is null, the rest and the total are counted', async () => {
    jest.useFakeTimers();
    // Temporal slow: 3 s a count, 8 at a time, 51 counts: about 20 s to count them all.
    const gateway = new FakeGateway((version) => after(3_000, version === undefined ? 1000 : version));
    const started = Date.now();
    const pending = serviceWith(gateway, 50).running('weekly');
    await jest.advanceTimersByTimeAsync(10_000);
    const answer = await pending;
    expect(Date.now() - started).toBeLessThanOrEqual(10_000);
    expect(answer.total).toBe(1000);
    const counted = answer.versions.filter((v) => v.running !== null);
    // Three rounds of 8 (the total among the first) within 10 s; the others not asked, or not answered, in time.
    expect(counted.length).toBe(23);
    expect(counted.every((v) => v.running === v.version)).toBe(true);
    // The active version (the latest here) and the newest are counted first; the oldest are the ones left null.
    expect(answer.versions.find((v) => v.version === 50)?.running).toBe(50);
    expect(answer.versions.slice(0, 27).every((v) => v.running === null)).toBe(true);
    expect(gateway.peak).toBeLessThanOrEqual(8);
  });

  it('a version that never answers is null; it does not turn the whole answer into a 503', async () => {
    jest.useFakeTimers();
    const gateway = new FakeGateway((version) => (version === 2 ? new Promise<number>(() => {}) : Promise.resolve(version ?? 10)));
    const pending = serviceWith(gateway, 3).running('weekly');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await pending).toEqual({ key: 'weekly', activeVersion: 3, versions: [{ version: 1, running: 1 }, { version: 2, running: null }, { version: 3, running: 3 }], total: 10 });
  });

  it('the total not counted is a 503, as before, and the versions still waiting are not asked', async () => {
    const gateway = new FakeGateway((version) => (version === undefined ? Promise.reject(new Error('unavailable')) : after(5, version)));
    await expect(serviceWith(gateway, 50).running('weekly')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(gateway.asked.length).toBeLessThanOrEqual(8);
  });
});
