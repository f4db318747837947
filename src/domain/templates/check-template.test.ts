import { checkTemplate } from './check-template';

const base = () => ({
  key: 'tiny',
  title: 'Tiny',
  description: 'One state.',
  parameters: [{ name: 'points', type: 'integer', label: 'Points', help: 'How many.', default: 10, min: 1, max: 100 }],
  campaign: {
    key: 'tiny',
    name: 'Tiny',
    entry: { on: 'order.completed' },
    initial: 'done',
    states: { done: { actions: { steps: [{ type: 'points', amount: '{{points}}' }] }, end: true } },
  },
});

const pathsOf = (input: unknown) => {
  const result = checkTemplate(input);
  return result.ok ? [] : result.issues.map((i) => i.path);
};

describe('checkTemplate', () => {
  it('accepts a template whose defaults render to a campaign that compiles', () => {
    expect(pathsOf(base())).toEqual([]);
  });

  it('refuses a default outside its own bounds, at the parameter', () => {
    const t = base();
    t.parameters[0].default = 500;
    expect(pathsOf(t)).toEqual(['parameters[0].default']);
  });

  it('refuses bounds out of order at min, and a pattern that is no regular expression or could backtrack without end at pattern', () => {
    const t = base();
    t.parameters[0].min = 200;
    expect(pathsOf(t)).toEqual(['parameters[0].min', 'parameters[0].default']);
    const text = (pattern: string, value = 'aaa') => {
      const s = base();
      (s.parameters as unknown[]).push({ name: 'code', type: 'string', label: 'Code', help: 'A code.', default: value, maxLength: 2000, pattern });
      (s.campaign as Record<string, unknown>).name = 'Tiny {{code}}';
      const result = checkTemplate(s);
      return result.ok ? [] : result.issues.map((i) => [i.path, i.message.split(':')[0]]);
    };
    expect(text('[a-z]+')).toEqual([]);
    expect(text('[a-z')).toEqual([['parameters[1].pattern', 'pattern is not a regular expression']]);
    for (const nested of ['(a+)+', '([a-z]+-?)*x', '(?:x*)*', '(\\d{1,3}\\.?)+', '(a{1,500}){2,}']) {
      expect(text(nested)).toEqual([['parameters[1].pattern', expect.stringMatching(/^pattern repeats a part of varying length inside an open-ended repetition/)]]);
    }
    // Optional parts and counted ones nest safely, however often; so does one open-ended repetition beside others.
    for (const [safe, value] of [
      ['\\d{3}(-\\d{4})?', '555-1234'],
      ['(?:https?://)?[a-z.]+', 'https://kairos.dev'],
      ['[A-Z]{2}(\\d{2})?', 'FR75'],
      ['(?:[a-z]{1,3}\\.){0,4}[a-z]*', 'ab.cd.x'],
      ['SAVE-\\d+', 'SAVE-20'],
      ['(?<word>a+)', 'aaa'],
    ]) {
      expect({ safe, problems: text(safe, value) }).toEqual({ safe, problems: [] });
    }
    expect(text('(?<=x)a')).toEqual([['parameters[1].pattern', expect.stringMatching(/^pattern uses syntax Kairos cannot check/)]]);
  });

  it('refuses a placeholder no parameter declares, at the string holding it', () => {
    const t = base();
    (t.campaign as Record<string, unknown>).name = 'Tiny {{season}}';
    expect(pathsOf(t)).toEqual(['campaign.name']);
  });

  it('refuses a declared parameter that the campaign never uses', () => {
    const t = base();
    t.parameters.push({ name: 'unused', type: 'integer', label: 'Unused', help: 'Nothing.', default: 1, min: 1, max: 2 });
    expect(pathsOf(t)).toEqual(['parameters[1].name']);
  });

  it('refuses a placeholder in a state name', () => {
    const t = base();
    (t.campaign.states as Record<string, unknown>)['{{points}}'] = { end: true };
    expect(pathsOf(t)).toContain('campaign.states.{{points}}');
  });

  it('refuses a template whose defaults do not compile, at the place in the campaign body', () => {
    const t = base();
    t.campaign.states.done.actions.steps[0] = { type: 'points', amount: 'count({{points}})' };
    const result = checkTemplate(t);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, /with the defaults/.test(i.message)])).toEqual([['campaign.states.done.actions.steps[0].amount', true]]);
  });

  it('refuses unknown fields and parameter types, at their paths', () => {
    const t = { ...base(), colour: 'red' };
    expect(pathsOf(t)).toEqual(['colour']);
    const u = base();
    (u.parameters[0] as Record<string, unknown>).type = 'money';
    expect(pathsOf(u)[0]).toMatch(/^parameters\[0\]/);
  });
});
