import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { ChangeListener } from '../routing/change-listener';
import { HELD_NAMED_TTL_MS, HeldNamedVersionsCache } from './held-named-versions';

/** A change listener whose subscribers `change()` tells, as a campaign saved on any instance would. */
function changes() {
  const handlers: Array<(key: string | null) => void> = [];
  return { listener: { subscribe: (_channel: string, h: (key: string | null) => void) => handlers.push(h) } as unknown as ChangeListener, change: () => handlers.forEach((h) => h('c')) };
}

/** A repository whose reads answer `answers` in turn (an Error: the read fails); `reads` counts them. */
function repositoryAnswering(answers: Array<Map<string, number[]> | Error>) {
  const counter = { reads: 0 };
  const campaigns = {
    versionsWithState: async (name: string) => {
      expect(name).toBe('held');
      const answer = answers[counter.reads++];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as CampaignsRepository;
  return { campaigns, counter };
}

describe('HeldNamedVersionsCache', () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the versions once per interval, however often it is asked', async () => {
    const { campaigns, counter } = repositoryAnswering([new Map([['c', [1]]]), new Map([['c', [1, 2]]])]);
    const cache = new HeldNamedVersionsCache(campaigns, changes().listener);
    expect(await cache.get()).toEqual(new Map([['c', [1]]]));
    now = HELD_NAMED_TTL_MS - 1;
    expect(await cache.get()).toEqual(new Map([['c', [1]]]));
    expect(counter.reads).toBe(1);
    now = HELD_NAMED_TTL_MS;
    expect(await cache.get()).toEqual(new Map([['c', [1, 2]]]));
    expect(counter.reads).toBe(2);
  });

  it('reads again as soon as a campaign changes, within the interval', async () => {
    const { campaigns, counter } = repositoryAnswering([new Map(), new Map([['c', [4]]])]);
    const told = changes();
    const cache = new HeldNamedVersionsCache(campaigns, told.listener);
    expect(await cache.get()).toEqual(new Map());
    told.change();
    expect(await cache.get()).toEqual(new Map([['c', [4]]]));
    expect(counter.reads).toBe(2);
  });

  it('answers none when the read fails, and reads again at the next ask', async () => {
    const { campaigns, counter } = repositoryAnswering([new Error('connect ECONNREFUSED'), new Map([['c', [3]]])]);
    const cache = new HeldNamedVersionsCache(campaigns, changes().listener);
    expect(await cache.get()).toEqual(new Map());
    expect(await cache.get()).toEqual(new Map([['c', [3]]]));
    expect(counter.reads).toBe(2);
  });
});
