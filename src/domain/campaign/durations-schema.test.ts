import { spendAndPost } from '../testing/campaigns';
import { parseCampaign, parseRewardPool } from './schema';

/** Issue 11, item 1: a duration that PostgreSQL or a Date cannot hold is a 400 at its path, never a 500 later. */
describe('durations too long to store or schedule', () => {
  const TOO_LONG = ['P1001Y', 'P99999999999D', `PT${'9'.repeat(40)}S`];

  it.each(TOO_LONG)('a pool validFor of %s is refused at validFor', (validFor) => {
    const r = parseRewardPool({ key: 'p', kind: 'coupon', codes: ['A'], validFor });
    expect(r.ok ? [] : r.issues).toEqual([{ path: 'validFor', message: expect.stringMatching(/longer than 1000 years/) }]);
  });

  it.each(TOO_LONG)('%s is refused at after, cooldown and frequency.per', (text) => {
    const c = spendAndPost();
    c.states.collecting.transitions.push({ to: 'expired', after: text });
    c.participation = { maxEntries: 2, cooldown: text, frequency: { max: 1, per: text } };
    const r = parseCampaign(c);
    const at = c.states.collecting.transitions.length - 1;
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual(
      ['participation.cooldown', 'participation.frequency.per', `states.collecting.transitions[${at}].after`].sort(),
    );
  });

  it('accepts the longest duration it can schedule', () => {
    expect(parseRewardPool({ key: 'p', kind: 'coupon', codes: ['A'], validFor: 'P1000Y' }).ok).toBe(true);
  });

  it('still says what a duration looks like when it is malformed', () => {
    const r = parseRewardPool({ key: 'p', kind: 'coupon', codes: ['A'], validFor: '3 days' });
    expect(r.ok ? [] : r.issues).toEqual([{ path: 'validFor', message: expect.stringMatching(/ISO 8601 duration such as P3D/) }]);
  });
});
