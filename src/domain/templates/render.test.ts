import '../../security/linear-regexp-engine';
import { compileCampaign } from '../compiler';
import { ctx, holds } from '../conditions/test-support';
import { preview } from '../machine/preview';
import { checkTemplate } from './check-template';
import { substitute } from './placeholders';
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
    // A string parameter placed bare inside an expression (not in a quoted literal): a quote breaks the expression, not the parameter's own bounds.
    template.parameters.push({ name: 'note', type: 'string', label: 'Note', help: 'Free text.', default: 'x', minLength: 1, maxLength: 20 });
    template.campaign.audience = 'user.segment == {{note}}';
    const result = renderTemplate(template, { parameters: { note: "it's" } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['parameters.note']);
    expect(result.ok ? '' : result.issues[0].message).toMatch(/does not compile.*campaign field audience/);
  });

  describe('a text value inside a quoted literal stays that text', () => {
    const taglineTemplate = (): TemplateFile => {
      const checked = checkTemplate({
        key: 'tagline',
        title: 'Tagline',
        description: 'Sends a tagline.',
        parameters: [
          { name: 'tagline', type: 'string', label: 'Tagline', help: 'Copy.', default: 'Hello', maxLength: 200 },
          { name: 'plan', type: 'string', label: 'Plan', help: 'Which plan.', default: 'Pro', maxLength: 200 },
        ],
        campaign: {
          key: 'tagline',
          name: 'Tagline',
          entry: { on: 'order.completed' },
          initial: 'waiting',
          states: {
            waiting: { transitions: [{ to: 'sent', when: "event.plan == '{{plan}}'" }] },
            sent: {
              actions: { steps: [{ id: 'm', type: 'message', channel: 'push', template: 'promo', data: { tagline: "'{{tagline}}'", doubleQuoted: '"{{tagline}}"' } }] },
              end: true,
            },
          },
        },
      });
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      return checked.value;
    };
    const sent = (tagline: string) => {
      const rendered = renderTemplate(taglineTemplate(), { parameters: { tagline } });
      if (!rendered.ok) throw new Error(JSON.stringify(rendered.issues));
      const compiled = compileCampaign(rendered.value.campaign, { admitting: true });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      const step = compiled.value.states.sent.actions?.steps[0] as { action: { data: Record<string, { expression?: { evaluate: (facts: unknown) => unknown }; literal?: unknown }> } };
      const value = (name: string) => {
        const data = step.action.data[name];
        return data.expression ? data.expression.evaluate({}) : { literal: data.literal };
      };
      return { tagline: value('tagline'), doubleQuoted: value('doubleQuoted') };
    };

    it.each(["It's on us", 'C:\\new', '50%\\off', "Tom' == 'Tom", '\\u0000', 'say "hi"', "\\'", 'back\\'])('%j', (tagline) => {
      const out = sent(tagline);
      expect(out.tagline).toBe(tagline);
      expect(out.doubleQuoted).toBe(tagline);
    });

    it('in a condition: Pro\'s is text to compare, not a broken expression, and a value cannot rewrite the condition', () => {
      const plan = "Pro's";
      const rendered = renderTemplate(taglineTemplate(), { parameters: { plan } });
      expect(rendered.ok).toBe(true);
      const states = (rendered.ok ? rendered.value.campaign.states : {}) as Record<string, { transitions?: Array<{ when?: string }> }>;
      const when = states.waiting.transitions?.[0].when;
      expect(when).toBe("event.plan == 'Pro\\'s'");
      expect([holds(when, { plan }), holds(when, { plan: 'Pro' })]).toEqual([true, false]);
      const injected = renderTemplate(taglineTemplate(), { parameters: { plan: "x' || user.vip == true || '" } });
      expect(injected.ok).toBe(true);
      const again = (injected.ok ? injected.value.campaign.states : {}) as Record<string, { transitions?: Array<{ when?: string }> }>;
      const guarded = again.waiting.transitions?.[0].when;
      expect(guarded).toBe("event.plan == 'x\\' || user.vip == true || \\''");
      expect(holds(guarded, { plan: 'Pro' }, { user: { vip: true } })).toBe(false);
    });
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

describe('substitute: a value inside a quoted literal is escaped as the lexer reads it, elsewhere it goes in as it is', () => {
  const v = { x: "a'b\\c\"d", n: 5 };
  it.each([
    ["'{{x}}'", "'a\\'b\\\\c\"d'"],
    ['"{{x}}"', '"a\'b\\\\c\\"d"'],
    ["event.a == '{{x}}' && {{n}} > 1", "event.a == 'a\\'b\\\\c\"d' && 5 > 1"],
    ["'it\\'s {{x}}' + {{x}}", "'it\\'s a\\'b\\\\c\"d' + a'b\\c\"d"],
    ['plain {{x}} text', 'plain a\'b\\c"d text'],
    ["Don't miss {{x}}", "Don't miss a'b\\c\"d"],
    ["'closed' {{x}}", "'closed' a'b\\c\"d"],
    ['{{x}}', "a'b\\c\"d"],
    ["'{{unknown}}'", "'{{unknown}}'"],
  ])('%s', (template, expected) => {
    expect(substitute(template, v)).toBe(expected);
  });
});

describe('substitute: plain text fields are not expressions, so nothing in them is escaped', () => {
  it('escapes inside every form of a condition: rows, any, all, atLeast', () => {
    const values = { x: "O'Brien" };
    const cell = "event.who == '{{x}}'";
    const filled = "event.who == 'O\\'Brien'";
    const conditions = { a: [[cell], [cell, cell]], b: { any: [cell, { all: [cell] }] }, c: { atLeast: 1, of: [cell] } };
    expect(substitute({ states: { s: { transitions: [{ to: 't', when: conditions.a }, { to: 't', when: conditions.b }, { to: 't', when: conditions.c }] } } }, values)).toEqual({
      states: { s: { transitions: [{ to: 't', when: [[filled], [filled, filled]] }, { to: 't', when: { any: [filled, { all: [filled] }] } }, { to: 't', when: { atLeast: 1, of: [filled] } }] } },
    });
  });

  it('fills a webhook body and url, a name, a description and a template name as they are; conditions, amounts and data values escaped', () => {
    const values = { x: "O'Brien" };
    const campaign = {
      name: "Campaign '{{x}}'",
      description: "For '{{x}}'",
      audience: "user.name == '{{x}}'",
      states: {
        s: {
          description: "'{{x}}'",
          transitions: [{ to: 't', when: "event.who == '{{x}}'", if: "'{{x}}' == event.who" }],
          actions: {
            if: "user.name != '{{x}}'",
            steps: [
              { type: 'webhook', url: "https://hooks.example/'{{x}}'", body: { text: "Hi '{{x}}'", if: "'{{x}}'", list: ["'{{x}}'"] } },
              { type: 'message', channel: 'push', template: "t-'{{x}}'", data: { a: "'{{x}}'", nested: { b: "'{{x}}'" } } },
              { type: 'points', amount: "'{{x}}' == 'x'" },
            ],
          },
        },
      },
    };
    expect(substitute(campaign, values)).toEqual({
      name: "Campaign 'O'Brien'",
      description: "For 'O'Brien'",
      audience: "user.name == 'O\\'Brien'",
      states: {
        s: {
          description: "'O'Brien'",
          transitions: [{ to: 't', when: "event.who == 'O\\'Brien'", if: "'O\\'Brien' == event.who" }],
          actions: {
            if: "user.name != 'O\\'Brien'",
            steps: [
              { type: 'webhook', url: "https://hooks.example/'O'Brien'", body: { text: "Hi 'O'Brien'", if: "'O'Brien'", list: ["'O'Brien'"] } },
              { type: 'message', channel: 'push', template: "t-'O'Brien'", data: { a: "'O\\'Brien'", nested: { b: "'O'Brien'" } } },
              { type: 'points', amount: "'O\\'Brien' == 'x'" },
            ],
          },
        },
      },
    });
  });
});

describe('text that is not an expression takes a value as it is (review-58-diff-others 1)', () => {
  const textTemplate = (): TemplateFile => {
    const checked = checkTemplate({
      key: 'text',
      title: 'Text',
      description: 'Sends a line of text.',
      parameters: [
        { name: 'name', type: 'string', label: 'Name', help: 'Who.', default: 'Ann', maxLength: 200 },
        { name: 'season', type: 'string', label: 'Season', help: 'Which sale.', default: 'Spring', maxLength: 200 },
      ],
      campaign: {
        key: 'text',
        name: 'Text',
        entry: { on: 'order.completed' },
        initial: 'waiting',
        states: {
          waiting: { transitions: [{ to: 'sent', when: [[{ fact: 'event.title', op: '==', value: "the '{{season}}' sale" }]] }] },
          sent: {
            actions: {
              steps: [
                {
                  id: 'm',
                  type: 'message',
                  channel: 'push',
                  template: 'promo',
                  data: { line: "It's {{name}}'s day", offer: "We've got {{name}} for you, it's yours", quoted: "'{{name}}'", same: "user.firstName == '{{name}}'" },
                },
              ],
            },
            end: true,
          },
        },
      },
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    return checked.value;
  };
  const render = (parameters: Record<string, string>, firstName = '') => {
    const rendered = renderTemplate(textTemplate(), { parameters });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.issues));
    const compiled = compileCampaign(rendered.value.campaign, { admitting: true });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const step = compiled.value.states.sent.actions?.steps[0] as { action: { data: Record<string, { expression?: { evaluate: (facts: unknown) => unknown }; literal?: unknown }> } };
    const data = (name: string) => {
      const item = step.action.data[name];
      return item.expression ? { expression: item.expression.evaluate(ctx({ user: { firstName } })) } : { literal: item.literal };
    };
    return { campaign: rendered.value.campaign, data };
  };

  it.each(["O'Brien", 'C:\\new', 'say "hi"', "\\'"])('a data string that is text goes out with %j as written', (name) => {
    const { data } = render({ name }, name);
    expect(data('line')).toEqual({ literal: `It's ${name}'s day` });
    expect(data('offer')).toEqual({ literal: `We've got ${name} for you, it's yours` });
    // A data string that is an expression still takes the value as the text it is.
    expect(data('quoted')).toEqual({ expression: name });
    expect(data('same')).toEqual({ expression: true });
  });

  it("a fact leaf's value is JSON data: the value goes in unescaped and the condition matches the real title", () => {
    const { campaign } = render({ season: "Winter's" });
    const when = (campaign.states as Record<string, { transitions: Array<{ when: unknown }> }>).waiting.transitions[0].when;
    expect(when).toEqual([[{ fact: 'event.title', op: '==', value: "the 'Winter's' sale" }]]);
    expect(holds(when, { title: "the 'Winter's' sale" })).toBe(true);
    expect(holds(when, { title: "the 'Winter\\'s' sale" })).toBe(false);
  });

  it('substitute: a fact leaf keeps a whole-placeholder value typed, and its fact stays an expression', () => {
    const values = { n: 5, x: "O'Brien" };
    expect(substitute({ when: [[{ fact: "event.tags['{{x}}']", op: '>=', value: '{{n}}' }, { fact: 'event.who', op: 'in', value: ["'{{x}}'", 'a {{x}}'] }]] }, values)).toEqual({
      when: [[{ fact: "event.tags['O\\'Brien']", op: '>=', value: 5 }, { fact: 'event.who', op: 'in', value: ["'O'Brien'", "a O'Brien"] }]],
    });
  });
});

describe('a data string that is text stays text whatever fills it (review-63-messages 2)', () => {
  // `Shop {{offer}}` does not read as an expression, but filled with `and save` it would: `event.Shop and event.save`, sent as false.
  const shopTemplate = (): TemplateFile => {
    const checked = checkTemplate({
      key: 'shop',
      title: 'Shop',
      description: 'Sends a headline.',
      parameters: [
        { name: 'offer', type: 'string', label: 'Offer', help: 'The words after Shop.', default: 'now', maxLength: 40 },
        { name: 'tone', type: 'choice', label: 'Tone', help: 'The words after Go.', options: ['now', 'or stay', "user.email + 'x'"], default: 'now' },
      ],
      campaign: {
        key: 'shop',
        name: 'Shop',
        entry: { on: 'order.completed' },
        initial: 'sent',
        states: {
          sent: {
            actions: { steps: [{ id: 'm', type: 'message', channel: 'push', template: 'promo', data: { headline: 'Shop {{offer}}', tagline: 'Go {{tone}}', line: "It's {{offer}}'s day" } }] },
            end: true,
          },
        },
      },
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    return checked.value;
  };
  const sentData = (parameters: Record<string, string>) => {
    const rendered = renderTemplate(shopTemplate(), { parameters });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.issues));
    const plan = compileCampaign(rendered.value.campaign, { admitting: true });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const event = { version: 1 as const, id: 'o-1', type: 'order.completed', userId: 'u-1', occurredAt: '2026-06-01T10:00:00Z', properties: { Shop: true, save: true } };
    const result = preview(plan.value, null, event, { userId: 'u-1', user: { email: 'a@example.com' }, now: '2026-06-01T10:00:00Z' });
    return result.messages[0]?.action as { data: Record<string, unknown> } | undefined;
  };

  it.each(['now', 'and save', 'in style', 'or more', "and 'it'", "or '\\\\'", "O'Brien", 'user.email', 'C:\\new'])('offer %j', (offer) => {
    expect(sentData({ offer })?.data).toMatchObject({ headline: `Shop ${offer}`, line: `It's ${offer}'s day` });
  });

  it.each(['now', 'or stay', "user.email + 'x'"])('choice option %j', (tone) => {
    expect(sentData({ tone })?.data).toMatchObject({ tagline: `Go ${tone}` });
  });

  it('the draft shows such a filled string as a quoted literal, and leaves one that does not parse as it is', () => {
    const rendered = renderTemplate(shopTemplate(), { parameters: { offer: "and 'it'" } });
    const steps = rendered.ok ? (rendered.value.campaign.states as Record<string, { actions: { steps: Array<{ data: unknown }> } }>).sent.actions.steps : [];
    expect(steps[0]?.data).toEqual({ headline: "'Shop and \\'it\\''", tagline: 'Go now', line: "It's and 'it''s day" });
  });
});
