import '../../security/linear-regexp-engine';
import { checkTemplate } from './check-template';
import { ParameterSpec, valueSchema } from './parameter-spec';

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

  it('refuses bounds out of order at min, and at pattern one that is no regular expression or that the linear-time engine cannot run', () => {
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
    // Backreferences, lookarounds and counts above 16 (nested ones multiplied) are what the engine does not run.
    for (const refused of ['(a)\\1', 'a(?=b)', '(?<=x)a', '(?!x)a', '[0-9a-f]{32}', 'a{1,100}', '(a{1,500}){2,}', '([a-z]{1,3}\\.?){0,6}']) {
      expect({ refused, problems: text(refused) }).toEqual({ refused, problems: [['parameters[1].pattern', 'pattern cannot be checked in linear time']] });
    }
    // Patterns the usual engine backtracks through for minutes are fine on it, as are counts up to 16 (4 x 4 nested).
    for (const [fine, value] of [
      ['(a+)+', 'aaa'],
      ['(a|a)+', 'aaa'],
      ['(.*a){12}', 'a'.repeat(12)],
      ['(\\d{1,3}\\.?)+', '10.0.0.1'],
      ['([a-z]{1,3}\\.?){0,5}', 'ab.cd.x'],
      ['\\d{3}(-\\d{4})?', '555-1234'],
      ['(?:https?://)?[a-z.]+', 'https://kairos.dev'],
      ['[0-9a-f]{8}-[0-9a-f]{4}', 'deadbeef-cafe'],
      ['(?<word>a+)', 'aaa'],
      ['(a{4}){4}', 'a'.repeat(16)],
    ]) {
      expect({ fine, problems: text(fine, value) }).toEqual({ fine, problems: [] });
    }
  });

  it('refuses at the pattern what needs the u flag, which patterns run without: \\p{L}, \\u{…}, an emoji in [...] or before a count (review-63-messages 4)', () => {
    const text = (pattern: string, value: string) => {
      const s = base();
      (s.parameters as unknown[]).push({ name: 'word', type: 'string', label: 'Word', help: 'A word.', default: value, maxLength: 200, pattern });
      (s.campaign as Record<string, unknown>).name = 'Tiny {{word}}';
      const result = checkTemplate(s);
      return result.ok ? [] : result.issues.map((i) => [i.path, i.message]);
    };
    // Without u, \p{L}+ is the text p{L} followed by }s: the default Café was refused, and the boot blamed the default.
    expect(text('\\p{L}+', 'Café')).toEqual([['parameters[1].pattern', expect.stringMatching(/^pattern uses the Unicode property escape \\p\{L\}, which needs the u flag: .* means the text p\{L\}; list the characters instead/)]]);
    for (const [refused, start] of [
      ['[\\P{Lu} ]+', 'pattern uses the Unicode property escape \\P{Lu}'],
      ['\\p{Script=Greek}', 'pattern uses the Unicode property escape \\p{Script=Greek}'],
      ['a\\u{1F600}', 'pattern uses the code point escape \\u{1F600}'],
      ['[a-z😀]+', 'pattern has 😀 inside [...]'],
      ['😀+', 'pattern has 😀 before a count'],
      ['x😀{2}', 'pattern has 😀 before a count'],
    ]) {
      const problems = text(refused, 'x');
      expect({ refused, paths: problems.map(([path]) => path), start: String(problems[0]?.[1]).slice(0, start.length) }).toEqual({ refused, paths: ['parameters[1].pattern'], start });
    }
    // An escaped backslash before p{, a \uXXXX escape, and an emoji outside brackets and counts mean what they say without u.
    for (const [fine, value] of [
      ['\\\\p\\{L\\}', '\\p{L}'],
      ['\\u00e9+', 'éé'],
      ['[A-Za-zÀ-ÖØ-öø-ÿ]+', 'Café'],
      ['(?:😀)+ ?[a-z]*', '😀😀 hi'],
      ['🎉 [a-z]+', '🎉 party'],
    ]) {
      expect({ fine, problems: text(fine, value) }).toEqual({ fine, problems: [] });
    }
  });

  it('refuses a value over maxLength without running the pattern on it', () => {
    const spec = ParameterSpec.parse({ name: 'code', type: 'string', label: 'Code', help: 'A code.', default: 'aa', maxLength: 200, pattern: '[a-z]+' });
    const checked = valueSchema(spec).safeParse(`${'a'.repeat(1_000_000)}!`);
    // Only the length is said: the pattern (which this value fails too) was not run on a million characters.
    expect(checked.success ? [] : checked.error.issues.map((i) => i.code)).toEqual(['too_big']);
    const short = valueSchema(spec).safeParse('a!');
    expect(short.success ? [] : short.error.issues.map((i) => i.message)).toEqual(['must match [a-z]+']);
  });

  it('checks a value against a pattern in time linear in its length: near-matches of patterns that backtrack without end are refused at once', () => {
    // On the usual engine each of these takes from half a minute to hours (the test would never end).
    for (const [pattern, nearMatch] of [
      ['(a|a)+', `${'a'.repeat(1999)}!`],
      ['(a+)+', `${'a'.repeat(1999)}!`],
      ['(.*a){12}', `${'a'.repeat(1999)}!`],
      ['(\\w|\\d)+', `${'1'.repeat(1999)}!`],
    ]) {
      const spec = ParameterSpec.parse({ name: 'code', type: 'string', label: 'Code', help: 'A code.', default: 'aa', maxLength: 2000, pattern });
      expect({ pattern, near: valueSchema(spec).safeParse(nearMatch).success, match: valueSchema(spec).safeParse(nearMatch.slice(0, -1)).success }).toEqual({
        pattern,
        near: false,
        match: true,
      });
    }
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

  it('refuses a text parameter as the whole of a message data value, where its value would be read as an expression, and says to quote it', () => {
    const withData = (parameter: Record<string, unknown>, data: Record<string, unknown>, nested = false) => {
      const t = base();
      (t.parameters as unknown[]).push({ label: 'Tone', help: 'How it sounds.', ...parameter });
      const message = { type: 'message', channel: 'push', template: 't', data };
      (t.campaign.states.done.actions.steps as unknown[]).push(nested ? { strategy: 'parallel', steps: [{ type: 'points', amount: 1 }, message] } : message);
      const result = checkTemplate(t);
      return result.ok ? [] : result.issues.map((i) => [i.path, i.message]);
    };
    const tone = { name: 'tone', type: 'choice', options: ['friendly', 'urgent'], default: 'friendly' };
    expect(withData(tone, { tone: '{{tone}}' })).toEqual([
      ['campaign.states.done.actions.steps[1].data.tone', expect.stringContaining(`{{tone}} is a choice parameter`)],
    ]);
    expect(withData(tone, { tone: '{{ tone }}' }, true).map(([path, message]) => [path, String(message).split('; ')[1]])).toEqual([
      ['campaign.states.done.actions.steps[1].steps[1].data.tone', `write "'{{tone}}'" to send it as text`],
    ]);
    for (const text of [
      { name: 'tone', type: 'string', default: 'Welcome', maxLength: 40 },
      { name: 'tone', type: 'eventType', default: 'order.completed' },
      { name: 'tone', type: 'timezone', default: 'Europe/Paris' },
      { name: 'tone', type: 'duration', default: 'P3D', min: 'P1D', max: 'P9D' },
    ]) {
      expect({ type: text.type, paths: withData(text, { tone: '{{tone}}' }).map(([path]) => path) }).toEqual({ type: text.type, paths: ['campaign.states.done.actions.steps[1].data.tone'] });
    }
    // Quoted, or inside longer text, it is text; a number or a boolean keeps its type; a webhook body is not evaluated.
    expect(withData(tone, { tone: "'{{tone}}'", line: "'Feeling {{tone}}?'" })).toEqual([]);
    expect(withData({ name: 'tone', type: 'integer', default: 3, min: 1, max: 5 }, { tone: '{{tone}}' })).toEqual([]);
    expect(withData({ name: 'tone', type: 'boolean', default: true }, { tone: '{{tone}}' })).toEqual([]);
    const hook = base();
    (hook.parameters as unknown[]).push({ ...tone, label: 'Tone', help: 'How it sounds.' });
    (hook.campaign.states.done.actions.steps as unknown[]).push({ type: 'webhook', url: 'https://crm.example/hook', body: { type: 'message', data: { tone: '{{tone}}' } } });
    expect(pathsOf(hook)).toEqual([]);
  });

  it('refuses unknown fields and parameter types, at their paths', () => {
    const t = { ...base(), colour: 'red' };
    expect(pathsOf(t)).toEqual(['colour']);
    const u = base();
    (u.parameters[0] as Record<string, unknown>).type = 'money';
    expect(pathsOf(u)[0]).toMatch(/^parameters\[0\]/);
  });
});
