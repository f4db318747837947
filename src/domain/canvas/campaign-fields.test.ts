import type { CampaignInput } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { campaignField, issuesAt, setCampaignField } from './campaign-fields';

const base: CampaignInput = {
  key: 'c',
  name: 'C',
  entry: { on: 'order.completed' },
  initial: 'a',
  states: { a: { end: true } },
};

describe('campaign fields from side panels', () => {
  it('sets nested fields, creating their parents', () => {
    let d = setCampaignField(base, ['participation', 'frequency', 'max'], 3);
    d = setCampaignField(d, ['participation', 'frequency', 'per'], 'P7D');
    d = setCampaignField(d, ['schedule', 'quietHours', 'from'], '22:00');
    expect(d.participation).toEqual({ frequency: { max: 3, per: 'P7D' } });
    expect(campaignField(d, ['schedule', 'quietHours', 'from'])).toBe('22:00');
    expect(base).not.toHaveProperty('participation');
  });

  it('removes emptied fields and the parents they leave empty, but keeps entry', () => {
    let d = setCampaignField(base, ['schedule', 'quietHours', 'from'], '22:00');
    d = setCampaignField(d, ['schedule', 'quietHours', 'from'], undefined);
    expect(d).not.toHaveProperty('schedule');
    d = setCampaignField(d, ['entry', 'on'], undefined);
    expect(d.entry).toEqual({});
    expect(setCampaignField(base, ['audience'], 'user.level >= 2').audience).toBe('user.level >= 2');
  });

  it("finds the compiler's issues under a field, with the rest of their path", () => {
    const bad = compileCampaign(setCampaignField(base, ['participation', 'cooldown'], 'three days'));
    expect(issuesAt(bad.ok ? [] : bad.issues, 'participation.cooldown').map((i) => i.rest)).toEqual(['']);
    const d = setCampaignField(base, ['exitOn'], [{ on: 'user.left', if: [['event.x >>= 1']] }]);
    const compiled = compileCampaign(d);
    expect(compiled.ok).toBe(false);
    const issues = compiled.ok ? [] : compiled.issues;
    const exit = issuesAt(issues, 'exitOn[0].if');
    expect(exit.map((i) => i.rest)).toEqual(['[0][0]']);
    expect(exit[0].position).toBeDefined();
    expect(issuesAt(issues, 'exitOn').map((i) => i.rest)).toEqual(['[0].if[0][0]']);
    expect(issuesAt([{ path: 'entryX', message: '' }], 'entry')).toEqual([]);
  });
});
