import { spendAndPost } from '../testing/campaigns';
import { URL_CREDENTIALS_MESSAGE } from '../outbound-url';
import { Campaign, parseCampaign, parseRewardPool } from './schema';

describe('parseCampaign', () => {
  it('applies defaults', () => {
    const c = spendAndPost();
    delete c.participation;
    delete c.exitOn;
    const r = parseCampaign(c);
    expect(r.ok && r.value.participation).toEqual({ maxEntries: 1, mode: 'serial' });
    expect(r.ok && r.value.exitOn).toEqual([]);
    expect(r.ok && r.value.states.expired.transitions).toEqual([]);
  });

  it('accepts every condition notation', () => {
    const c = spendAndPost();
    c.audience = { all: ['user.level >= 2', { fact: 'user.country', op: 'eq', value: 'CN' }] };
    c.entry.if = [['event.amount gt 0']];
    c.states.rewarded.actions.steps[0].if = true;
    expect(parseCampaign(c).ok).toBe(true);
  });

  it('refuses a webhook URL with credentials in it, which would show wherever the URL is shown', () => {
    const c = spendAndPost();
    c.states.rewarded.actions.steps.push({ type: 'webhook', url: 'https://crm:s3cret@crm.example/hook' });
    const r = parseCampaign(c);
    expect(r.ok ? [] : r.issues.map((i) => [i.path, i.message])).toEqual([[`states.rewarded.actions.steps[${c.states.rewarded.actions.steps.length - 1}].url`, URL_CREDENTIALS_MESSAGE]]);
    c.states.rewarded.actions.steps[c.states.rewarded.actions.steps.length - 1].url = 'https://crm.example/hook?token=public';
    expect(parseCampaign(c).ok).toBe(true);
  });

  it('reports typos and wrong types at their exact path', () => {
    const c = spendAndPost();
    c.states.rewarded.actions.steps[0].pool = 7;
    c.states.rewarded.actions.steps[1].amout = 5;
    c.entry.on = 'Bad Type!';
    const r = parseCampaign(c);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['states.rewarded.actions.steps[0].pool', 'states.rewarded.actions.steps[1].amout', 'entry.on']),
    );
  });

  it('reports a nested group step by its position', () => {
    const c = spendAndPost();
    c.states.rewarded.actions.steps.push({ strategy: 'sometimes', steps: [{ type: 'sms' }] });
    const r = parseCampaign(c);
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual(['states.rewarded.actions.steps[2].steps[0].type', 'states.rewarded.actions.steps[2].strategy']);
  });

  it('keeps transitions to one trigger and requires `to`', () => {
    const c = spendAndPost();
    c.states.collecting.transitions.push({ split: [{ to: 'expired', weight: 1 }], to: 'expired' }, { on: 'x' });
    const r = parseCampaign(c);
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'states.collecting.transitions[2].to', message: expect.stringMatching(/split names its targets/) },
      { path: 'states.collecting.transitions[3].to', message: expect.stringMatching(/needs `to`/) },
    ]);
  });

  it('is the schema OpenAPI documents', () => {
    expect(Campaign.description).toMatch(/campaign definition/);
  });
});

describe('parseRewardPool', () => {
  it('accepts coupon pools with codes or generated codes, and budgets', () => {
    expect(parseRewardPool({ key: 'vip-20-off', kind: 'coupon', codes: ['A', 'B'], validFor: 'P30D', perUserLimit: 1 }).ok).toBe(true);
    expect(parseRewardPool({ key: 'gen', kind: 'coupon', generate: { pattern: 'XMAS-XXXX', count: 100 } }).ok).toBe(true);
    expect(parseRewardPool({ key: 'pts', kind: 'points', budget: 100000 }).ok).toBe(true);
    expect(parseRewardPool({ key: 'cash', kind: 'credit', budget: 500, currency: 'EUR' }).ok).toBe(true);
  });

  it('refuses fields that do not fit the kind', () => {
    const r = parseRewardPool({ key: 'pts', kind: 'points', codes: ['A'], currency: 'EUR', validFor: 'soon' });
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual(['codes', 'currency', 'validFor', 'validFor']);
    const s = parseRewardPool({ key: 'pts', kind: 'points', codes: ['A'], currency: 'EUR' });
    expect(s.ok ? [] : s.issues.map((i) => i.path).sort()).toEqual(['codes', 'currency']);
  });
});
