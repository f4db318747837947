import { spendAndPost } from '../src/domain/testing/campaigns';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** Issue 11, item 1: durations PostgreSQL or a Date cannot hold are a 400 at their path, not a 500. */
describe('durations too long to store or schedule, through the API', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (path: string, body: unknown) => sut.request('POST', path, { role: 'operator', body });
  const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

  it('a pool validFor past what an interval holds', async () => {
    const res = await op('/v1/pools', { key: 'forever', kind: 'coupon', codes: ['A'], validFor: 'P999999999Y' });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['validFor']);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from reward_pools where key = 'forever'`);
    expect(n).toBe(0);
  });

  it('a campaign whose after, cooldown and frequency.per overflow a Date', async () => {
    const c = spendAndPost();
    c.key = 'overflowing';
    c.states.collecting.transitions.push({ to: 'expired', after: 'P99999999999D' });
    c.participation = { maxEntries: 2, cooldown: 'P300000Y', frequency: { max: 1, per: `PT${'9'.repeat(30)}S` } };
    const res = await op('/v1/campaigns', c);
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['participation.cooldown', 'participation.frequency.per', `states.collecting.transitions[${c.states.collecting.transitions.length - 1}].after`]);
  });
});
