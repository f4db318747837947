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

describe('a definition with tens of thousands of mistakes', () => {
  it('is answered with at most 100 problems, each naming at most 20 states: no request builds gigabytes of text', () => {
    // Under the 512 KiB body cap: 10,000 end states and one state with 25,000 transitions to a state that does not exist.
    const states: Record<string, unknown> = { s: { transitions: Array.from({ length: 25_000 }, () => ({ to: 'z' })) } };
    for (let i = 0; i < 10_000; i++) states[`a${i}`] = { end: true };
    const definition = { key: 'amp', name: 'amp', entry: { on: 'x' }, initial: 's', states };
    expect(JSON.stringify(definition).length).toBeLessThan(512 * 1024);
    const result = compileCampaign(definition);
    if (result.ok) throw new Error('expected problems');
    expect(result.issues).toHaveLength(101);
    expect(result.issues[0].message).toBe('unknown state "z"; states are: s, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18 and 9981 more');
    expect(result.issues[100]).toEqual({ path: '', message: expect.stringMatching(/^and \d+ more problems not listed: mend these first$/) });
    expect(JSON.stringify(result.issues).length).toBeLessThan(100_000);
  });

  it('spells out at most 20 loops of immediate transitions, a long one with its middle left out', () => {
    // A ring of 300 states, each moving on at once to the next, then 50 pairs that bounce between each other, all reachable.
    const states: Record<string, unknown> = {
      start: { transitions: [{ to: 'c0', on: 'ring' }, ...Array.from({ length: 50 }, (_, i) => ({ to: `p${i}a`, on: `pair${i}` }))] },
    };
    for (let i = 0; i < 300; i++) states[`c${i}`] = { transitions: [{ to: `c${(i + 1) % 300}` }] };
    for (let i = 0; i < 50; i++) {
      states[`p${i}a`] = { transitions: [{ to: `p${i}b` }] };
      states[`p${i}b`] = { transitions: [{ to: `p${i}a` }] };
    }
    const result = compileCampaign({ key: 'loops', name: 'loops', entry: { on: 'x' }, initial: 'start', states });
    if (result.ok) throw new Error('expected problems');
    const loops = result.issues.filter((i) => i.message.startsWith('loop of immediate transitions'));
    expect(loops).toHaveLength(20);
    const longest = loops.map((l) => l.message).sort((a, b) => b.length - a.length)[0];
    expect(longest).toMatch(/^loop of immediate transitions: c0 → c1 → .* → … \(\d+ more\) → c0; add a transition that waits/);
  });
});
