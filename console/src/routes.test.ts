import { match } from './routes';

describe('match', () => {
  it('tells the console’s home apart from the campaigns list: a support key is sent on from one, and told why from the other', () => {
    expect(match('/console')).toEqual({ page: 'home' });
    expect(match('/console/')).toEqual({ page: 'home' });
    expect(match('/console/campaigns')).toEqual({ page: 'campaigns' });
  });

  it('reads each page’s URL', () => {
    expect(match('/console/campaigns/spend%2020')).toEqual({ page: 'campaign', key: 'spend 20' });
    expect(match('/console/campaigns/k/edit')).toEqual({ page: 'edit', key: 'k' });
    expect(match('/console/campaigns/k/diff')).toEqual({ page: 'diff', key: 'k' });
    expect(match('/console/new')).toEqual({ page: 'edit', key: null });
    expect(match('/console/users')).toEqual({ page: 'users', id: null });
    expect(match('/console/users/u-1')).toEqual({ page: 'users', id: 'u-1' });
    expect(match('/console/held')).toEqual({ page: 'held' });
    expect(match('/console/pools')).toEqual({ page: 'pools' });
    expect(match('/console/nowhere')).toEqual({ page: 'not-found' });
  });

  it('says "no such page" for a malformed percent-escape rather than throwing (which blanked the whole console)', () => {
    expect(match('/console/users/50%off')).toEqual({ page: 'not-found' });
    expect(match('/console/campaigns/%E0%A4%A')).toEqual({ page: 'not-found' });
    expect(match('/console/%')).toEqual({ page: 'not-found' });
  });
});
