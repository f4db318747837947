import { defaultCachedJourneys } from './worker';

const GiB = 1024 * 1024 * 1024;

describe('defaultCachedJourneys', () => {
  it('keeps 2,000 journeys per GiB of heap above a 256 MiB reserve', () => {
    expect(defaultCachedJourneys(4 * GiB)).toBe(7500);
    expect(defaultCachedJourneys(1 * GiB + 256 * 1024 * 1024)).toBe(2000);
  });

  it('never goes below 100, even on a tiny heap', () => {
    expect(defaultCachedJourneys(128 * 1024 * 1024)).toBe(100);
  });

  it('reads the heap limit of this process by default', () => {
    expect(defaultCachedJourneys()).toBeGreaterThanOrEqual(100);
  });
});
