import { compileCampaign } from './compile-campaign';
import { rawReferenceIssues, withRawReferences } from './raw-references';

const campaign = (over: Record<string, unknown> = {}, states: Record<string, unknown> = {}) => ({
  key: 'refs',
  name: 'References',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ on: 'order.paid', to: 'done' }] }, done: { end: true }, ...states },
  ...over,
});

describe('state references beside the schema problems', () => {
  it('a definition the schema refuses also lists the states it names that do not exist, each at its path', () => {
    const result = compileCampaign(
      campaign({ initial: 'nowhere' }, { waiting: { transitions: [{ after: 'P1X', to: 'gone' }, { on: 'b', to: 'done' }, { on: 'c', split: [{ weight: 1, to: 'nope' }] }] } }),
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.path)).toEqual([
      'states.waiting.transitions[0].after',
      'states.waiting.transitions[2].split',
      'initial',
      'states.waiting.transitions[0].to',
    ]);
    expect(issues.find((i) => i.path === 'initial')?.message).toBe('unknown state "nowhere"; states are: waiting, done');
  });

  it('says a reference once: the compiler, not the raw check, when the schema accepts the definition', () => {
    const result = compileCampaign(campaign({ initial: 'nowhere' }));
    expect(result.ok ? [] : result.issues).toEqual([{ path: 'initial', message: 'unknown state "nowhere"; states are: waiting, done' }]);
  });

  it('reports a reference beside another problem of its transition, and leaves one that is not text to the schema', () => {
    const result = compileCampaign(campaign({}, { waiting: { transitions: [{ on: 'b', to: 'gone', extra: 1 }, { on: 'c', to: 7 }] } }));
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['states.waiting.transitions[0].extra', 'states.waiting.transitions[1].to', 'states.waiting.transitions[0].to']);
  });

  it('leaves a reference inside a part already reported, or under a problem with no path, unsaid', () => {
    const input = campaign({ initial: 'nowhere' }, { waiting: { transitions: [{ on: 'b', to: 'gone' }] } });
    const at = (path: string) => withRawReferences([{ path, message: 'refused' }], input).map((i) => i.path);
    expect(at('states.waiting.transitions[0]')).toEqual(['states.waiting.transitions[0]', 'initial']);
    expect(at('states.waiting')).toEqual(['states.waiting', 'initial']);
    expect(at('states.wait')).toEqual(['states.wait', 'initial', 'states.waiting.transitions[0].to']);
    expect(at('')).toEqual(['']);
    // Nothing to check without states to check against, or with no object at all.
    expect(rawReferenceIssues({ initial: 'x' })).toEqual([]);
    expect(rawReferenceIssues({ initial: 'x', states: [] })).toEqual([]);
    expect(rawReferenceIssues('campaign')).toEqual([]);
    // Inherited names are not states.
    expect(rawReferenceIssues({ initial: 'toString', states: {} }).map((i) => i.path)).toEqual(['initial']);
  });
});
