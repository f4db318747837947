import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { ChangeListener } from '../routing/change-listener';
import { STATE_NAMED_TTL_MS, StateNamedVersionsCache } from './state-named-versions';

/** A change listener whose subscribers `change()` tells, as a campaign saved on any instance would. */
function changes() {
  const handlers: Array<(key: string | null) => void> = [];
  return { listener: { subscribe: (_channel: string, h: (key: string | null) => void) => handlers.push(h) } as unknown as ChangeListener, change: () => handlers.forEach((h) => h('c')) };
}

/**
 * A repository whose reads of the versions with a state named `held` answer `answers` in turn (an Error: the read
 * fails), and of any other name `others` in turn; `reads` counts them all, `names` lists the names read.
 */
function repositoryAnswering(answers: Array<Map<string, number[]> | Error>, others: Array<Map<string, number[]>> = []) {
  const counter = { reads: 0, names: [] as string[] };
  let held = 0;
  let other = 0;
  const campaigns = {
    versionsWithState: async (name: string) => {
      counter.reads++;
      counter.names.push(name);
      const answer = name === 'held' ? answers[held++] : others[other++];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as CampaignsRepository;
  return { campaigns, counter };
}

describe('StateNamedVersionsCache', () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the versions once per interval, however often it is asked', async () => {
    const { campaigns, counter } = repositoryAnswering([new Map([['c', [1]]]), new Map([['c', [1, 2]]])]);
    const cache = new StateNamedVersionsCache(campaigns, changes().listener);
    expect(await cache.get('held')).toEqual(new Map([['c', [1]]]));
    now = STATE_NAMED_TTL_MS - 1;
    expect(await cache.get('held')).toEqual(new Map([['c', [1]]]));
    expect(counter.reads).toBe(1);
    now = STATE_NAMED_TTL_MS;
    expect(await cache.get('held')).toEqual(new Map([['c', [1, 2]]]));
    expect(counter.reads).toBe(2);
  });

  it('reads again as soon as a campaign changes, within the interval', async () => {
    const { campaigns, counter } = repositoryAnswering([new Map(), new Map([['c', [4]]])]);
    const told = changes();
    const cache = new StateNamedVersionsCache(campaigns, told.listener);
    expect(await cache.get('held')).toEqual(new Map());
    told.change();
    expect(await cache.get('held')).toEqual(new Map([['c', [4]]]));
    expect(counter.reads).toBe(2);
  });

  it('answers none when the read fails, and reads again at the next ask', async () => {
    const { campaigns, counter } = repositoryAnswering([new Error('connect ECONNREFUSED'), new Map([['c', [3]]])]);
    const cache = new StateNamedVersionsCache(campaigns, changes().listener);
    expect(await cache.get('held')).toEqual(new Map());
    expect(await cache.get('held')).toEqual(new Map([['c', [3]]]));
    expect(counter.reads).toBe(2);
  });

  it('answers none to every caller that came while the failing read was pending, not only to the first', async () => {
    let fail: (e: Error) => void = () => undefined;
    const counter = { reads: 0 };
    const campaigns = {
      versionsWithState: () => {
        counter.reads++;
        return counter.reads === 1 ? new Promise<never>((_resolve, reject) => (fail = reject)) : Promise.resolve(new Map([['c', [3]]]));
      },
    } as unknown as CampaignsRepository;
    const cache = new StateNamedVersionsCache(campaigns, changes().listener);
    // The held page and a gauge scrape ask while PostgreSQL's connect is pending.
    const first = cache.get('held');
    const second = cache.get('held');
    fail(new Error('connect ECONNREFUSED'));
    await expect(first).resolves.toEqual(new Map());
    await expect(second).resolves.toEqual(new Map());
    expect(counter.reads).toBe(1);
    // The failure is not kept: the next ask reads again.
    expect(await cache.get('held')).toEqual(new Map([['c', [3]]]));
    expect(counter.reads).toBe(2);
  });

  it('keeps each state name apart: one name read does not answer another, and a campaign change reads each again', async () => {
    const { campaigns, counter } = repositoryAnswering([new Map([['c', [1]]]), new Map([['c', [1]]])], [new Map([['d', [2]]]), new Map([['d', [2, 3]]])]);
    const told = changes();
    const cache = new StateNamedVersionsCache(campaigns, told.listener);
    expect(await cache.get('held')).toEqual(new Map([['c', [1]]]));
    expect(await cache.get('none')).toEqual(new Map([['d', [2]]]));
    expect(await cache.get('held')).toEqual(new Map([['c', [1]]]));
    expect(await cache.get('none')).toEqual(new Map([['d', [2]]]));
    expect(counter.names).toEqual(['held', 'none']);
    told.change();
    expect(await cache.get('none')).toEqual(new Map([['d', [2, 3]]]));
    expect(await cache.get('held')).toEqual(new Map([['c', [1]]]));
    expect(counter.names).toEqual(['held', 'none', 'none', 'held']);
  });
});
