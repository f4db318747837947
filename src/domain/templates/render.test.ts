import '../../security/linear-regexp-engine';
import { compileCampaign } from '../compiler';
import { checkTemplate } from './check-template';
import { renderTemplate } from './render';
import type { TemplateFile } from './template-file';

/** A small template written here, so the tests do not depend on the example files' wording. */
const spendTemplate = (): TemplateFile => {
  const checked = checkTemplate({
    key: 'spend',
    title: 'Spend',
    description: 'Spend, get points.',
    parameters: [
      { name: 'minSpend', type: 'number', label: 'Minimum spend', help: 'Total spend.', default: 20, min: 1, max: 1000 },
      { name: 'points', type: 'integer', label: 'Points', help: 'Points issued.', default: 50, min: 1, max: 10000 },
      { name: 'window', type: 'duration', label: 'Window', help: 'How long.', default: 'P7D', min: 'PT1H', max: 'P30D' },
      { name: 'channel', type: 'channel', label: 'Channel', help: 'Where.', default: 'push' },
      { name: 'tone', type: 'choice', label: 'Tone', help: 'Which words.', options: ['friendly', 'urgent'], default: 'friendly' },
    ],
    campaign: {
      key: 'spend',
      name: 'Spend',
      entry: { on: 'order.completed' },
      initial: 'collecting',
      states: {
        collecting: {
          transitions: [
            { to: 'rewarded', when: "sum('order.completed', 'amount') >= {{minSpend}}" },
            { to: 'expired', after: '{{window}}' },
          ],
        },
        rewarded: {
          actions: {
            steps: [
              { type: 'points', amount: '{{points}}' },
              { type: 'message', channel: '{{channel}}', template: 'done-{{tone}}' },
            ],
          },
          end: true,
        },
        expired: { end: true },
      },
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};

describe('renderTemplate', () => {
  it('fills defaults, keeps the JSON type of a whole-string placeholder and interpolates inside text', () => {
    const result = renderTemplate(spendTemplate(), { parameters: { minSpend: 35.5, tone: 'urgent' } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { campaign, parameters } = result.value;
    expect(parameters).toEqual({ minSpend: 35.5, points: 50, window: 'P7D', channel: 'push', tone: 'urgent' });
    const states = campaign.states as Record<string, { transitions?: unknown[]; actions?: { steps: unknown[] } }>;
    expect(states.collecting.transitions).toEqual([
      { to: 'rewarded', when: "sum('order.completed', 'amount') >= 35.5" },
      { to: 'expired', after: 'P7D' },
    ]);
    expect(states.rewarded.actions?.steps).toEqual([
      { type: 'points', amount: 50 },
      { type: 'message', channel: 'push', template: 'done-urgent' },
    ]);
    expect(compileCampaign(campaign).ok).toBe(true);
  });

  it('overrides the campaign key and name when asked', () => {
    const result = renderTemplate(spendTemplate(), { key: 'spring-spend', name: 'Spring spend' });
    expect(result.ok && [result.value.campaign.key, result.value.campaign.name]).toEqual(['spring-spend', 'Spring spend']);
  });

  it('reports each bad value at parameters.<name>, and unknown names and bad overrides at their own paths', () => {
    const result = renderTemplate(spendTemplate(), {
      key: 'Not A Key',
      parameters: { minSpend: 0, points: 2.5, window: 'P90D', channel: 'fax', tone: 'rude', colour: 'red' },
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['key']);
    // The request shape is checked first; with a good key every parameter is reported at once.
    const again = renderTemplate(spendTemplate(), { parameters: { minSpend: 0, points: 2.5, window: 'P90D', channel: 'fax', tone: 'rude', colour: 'red' } });
    expect(again.ok ? [] : again.issues.map((i) => i.path).sort()).toEqual([
      'parameters.channel',
      'parameters.colour',
      'parameters.minSpend',
      'parameters.points',
      'parameters.tone',
      'parameters.window',
    ]);
    const window = again.ok ? undefined : again.issues.find((i) => i.path === 'parameters.window');
    expect(window?.message).toMatch(/at most P30D/);
  });

  it('refuses a value of the wrong JSON type rather than coercing it', () => {
    const result = renderTemplate(spendTemplate(), { parameters: { points: '50' } });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['parameters.points']);
  });

  it('traces a campaign that does not compile with a value back to that parameter', () => {
    const template = spendTemplate();
    // A string parameter placed inside an expression: a quote breaks the expression, not the parameter's own bounds.
    template.parameters.push({ name: 'note', type: 'string', label: 'Note', help: 'Free text.', default: 'x', minLength: 1, maxLength: 20 });
    template.campaign.audience = "user.segment == '{{note}}'";
    const result = renderTemplate(template, { parameters: { note: "it's" } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['parameters.note']);
    expect(result.ok ? '' : result.issues[0].message).toMatch(/does not compile.*campaign field audience/);
  });

  it('checks what saving checks: a value the compiler takes only for a stored version (a time zone in the wrong case) is refused at its parameter', () => {
    const template = spendTemplate();
    template.parameters.push({ name: 'zone', type: 'timezone', label: 'Zone', help: 'Where.', default: 'Europe/Paris' });
    template.campaign.entry = { cron: '0 9 * * *', timezone: '{{zone}}' };
    expect(renderTemplate(template, { parameters: { zone: 'Europe/Paris' } }).ok).toBe(true);
    // Intl takes any case, so the parameter's own bounds pass it; POST /v1/campaigns says "write Europe/Paris".
    const lower = renderTemplate(template, { parameters: { zone: 'europe/paris' } });
    expect(lower.ok ? [] : lower.issues.map((i) => i.path)).toEqual(['parameters.zone']);
  });

  it('reports a bad key or name override at that field, not at the parameters', () => {
    const result = renderTemplate(spendTemplate(), { name: 'a\u0000b' });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['name']);
  });

  it('names the first 20 unknown parameters and counts the rest in one issue', () => {
    const parameters = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 0]));
    const result = renderTemplate(spendTemplate(), { parameters });
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(21);
    expect(issues[20]).toEqual({ path: 'parameters', message: 'and 980 more unknown parameter(s)' });
  });

  it('refuses a request that is not an object of the known fields', () => {
    const result = renderTemplate(spendTemplate(), { parameters: [], extra: 1 });
    expect(result.ok ? [] : result.issues.map((i) => i.path).sort()).toEqual(['extra', 'parameters']);
  });
});
