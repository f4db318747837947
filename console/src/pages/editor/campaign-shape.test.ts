import { JSON_WORDS, shapeProblem, YAML_WORDS } from './campaign-shape';
import { parseJson } from './json-text';
import { parseYaml, toYaml } from './yaml-text';

const campaign = {
  key: 'k',
  name: 'K',
  entry: { on: 'order.completed' },
  exitOn: [{ on: 'user.unsubscribed' }],
  initial: 'a',
  states: {
    a: { transitions: [{ to: 'b', after: 'P3D' }, { split: [{ to: 'b', weight: 1 }] }] },
    b: { end: true, actions: { strategy: 'parallel', steps: [{ type: 'points', amount: 5 }, { steps: [{ type: 'coupon', pool: 'c' }] }] } },
  },
};

describe('the shape the canvas draws from, checked on text typed in the JSON and YAML tabs', () => {
  it('lets a campaign through, whatever its values (the compiler judges those)', () => {
    expect(shapeProblem(campaign, YAML_WORDS)).toBeNull();
    expect(shapeProblem({ states: { a: {} } }, JSON_WORDS)).toBeNull();
    expect(shapeProblem({ ...campaign, states: { a: { transitions: [{ to: 42, after: 7, when: null }] } }, audience: { nonsense: true } }, JSON_WORDS)).toBeNull();
  });

  it('holds back what a keystroke leaves half typed, at the path where it is, in the words of each notation', () => {
    const at = (value: Record<string, unknown>) => shapeProblem(value, YAML_WORDS)?.path;
    expect(shapeProblem({}, JSON_WORDS)?.message).toBe("states: missing: a campaign's states are an object, each state under its name");
    expect(shapeProblem({ states: null }, YAML_WORDS)?.message).toBe('states: should be a mapping, each state under its name');
    expect(shapeProblem({ states: { a: {}, reminder: null } }, YAML_WORDS)?.message).toMatch(/^states\.reminder: a state is a mapping of its fields/);
    expect(at({ states: { a: { transitions: null } } })).toBe('states.a.transitions');
    expect(at({ states: { a: { transitions: [{ to: 'a' }, null] } } })).toBe('states.a.transitions[1]');
    expect(at({ states: { a: { transitions: [{ split: 'b' }] } } })).toBe('states.a.transitions[0].split');
    expect(at({ states: { a: { transitions: [{ split: [null] }] } } })).toBe('states.a.transitions[0].split[0]');
    expect(at({ states: { a: { actions: null } } })).toBe('states.a.actions');
    expect(at({ states: { a: { actions: {} } } })).toBe('states.a.actions.steps');
    expect(at({ states: { a: { actions: { steps: [{ type: 'points' }, null] } } } })).toBe('states.a.actions.steps[1]');
    expect(at({ states: { a: { actions: { steps: [{ steps: [{ steps: null }] }] } } } })).toBe('states.a.actions.steps[0].steps[0].steps');
    expect(at({ name: { first: 'x' }, states: {} })).toBe('name');
    expect(at({ key: ['k'], states: {} })).toBe('key');
    expect(at({ entry: null, states: {} })).toBe('entry');
    expect(at({ exitOn: [null], states: {} })).toBe('exitOn[0]');
    // A state name with dots is one name.
    expect(at({ states: { 'a.b': null } })).toBe('states.a.b');
  });

  it('keeps such text out of the campaign in the YAML tab, with the line it is on', () => {
    const text = `${toYaml(campaign)}  reminder:\n`;
    expect(parseYaml(text)).toEqual({ ok: false, message: expect.stringMatching(/^states\.reminder: a state is a mapping/), line: text.split('\n').length - 1 });
    expect(parseYaml('key: k\nstates:\n  a:\n')).toMatchObject({ ok: false, line: 3 });
    expect(parseYaml(`${toYaml(campaign)}  reminder: {}\n`).ok).toBe(true);
  });

  it('keeps such text out of the campaign in the JSON tab', () => {
    expect(parseJson('{}')).toEqual({ ok: false, message: expect.stringMatching(/^states: missing/), line: null });
    expect(parseJson('{"states": {"a": null}}')).toMatchObject({ ok: false, message: expect.stringMatching(/^states\.a: a state is an object/) });
    expect(parseJson(JSON.stringify(campaign))).toEqual({ ok: true, value: campaign });
    // A campaign with a key named `ok` is still a campaign.
    expect(parseJson(JSON.stringify({ ...campaign, ok: true }))).toEqual({ ok: true, value: { ...campaign, ok: true } });
  });
});
