import { InputError } from '../common/errors';
import { layoutCap, refuseUnknownNodes, splitEnvelope, unknownNodeIssues } from './version-envelope';

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.details.map((d) => d.path);
    throw e;
  }
  return [];
};

describe('the fields a create or new-version request carries beside the definition', () => {
  const definition = { key: 'k', name: 'K', initial: 'a', states: { a: { end: true } } };

  it('takes layout and baseVersion out and leaves the definition as submitted', () => {
    const layout = { a: { x: 1, y: 2 } };
    expect(splitEnvelope({ ...definition, layout, baseVersion: 3 }, ['layout', 'baseVersion'])).toEqual({ definition, envelope: { layout, baseVersion: 3 }, issues: [] });
    expect(splitEnvelope(definition, ['layout', 'baseVersion'])).toEqual({ definition, envelope: {}, issues: [] });
  });

  it('leaves a field that is not allowed in the definition, for the compiler to report', () => {
    expect(splitEnvelope({ ...definition, baseVersion: 3 }, ['layout']).definition).toEqual({ ...definition, baseVersion: 3 });
  });

  it('passes anything that is not an object through for the compiler', () => {
    expect(splitEnvelope([1], ['layout'])).toEqual({ definition: [1], envelope: {}, issues: [] });
    expect(splitEnvelope(null, ['layout'])).toEqual({ definition: null, envelope: {}, issues: [] });
  });

  it('gives back a malformed layout or base at the exact path (with no envelope), for the caller to report with the rest', () => {
    const pathsOf = (body: unknown, allowed: Array<'layout' | 'baseVersion'>) => {
      const { envelope, issues } = splitEnvelope(body, allowed);
      return { envelope, paths: issues.map((i) => i.path) };
    };
    expect(pathsOf({ layout: { a: { x: Infinity, y: 0 } } }, ['layout'])).toEqual({ envelope: {}, paths: ['layout.a.x'] });
    expect(pathsOf({ layout: { 'bad name!': { x: 0, y: 0 } } }, ['layout'])).toEqual({ envelope: {}, paths: ['layout.bad name!'] });
    expect(pathsOf({ baseVersion: 0 }, ['baseVersion'])).toEqual({ envelope: {}, paths: ['baseVersion'] });
    expect(pathsOf({ baseVersion: 1.5, layout: { a: { x: 'left', y: 0 } } }, ['baseVersion', 'layout'])).toEqual({ envelope: {}, paths: ['layout.a.x', 'baseVersion'] });
  });

  it('accepts places for the states of the definition and the entry only', () => {
    expect(issuesOf(() => refuseUnknownNodes({ a: { x: 0, y: 0 }, '(entry)': { x: 0, y: 0 } }, definition))).toEqual([]);
    expect(issuesOf(() => refuseUnknownNodes({ b: { x: 0, y: 0 }, toString: { x: 0, y: 0 } }, definition))).toEqual(['layout.b', 'layout.toString']);
  });

  it('accepts a place for every state of a campaign with more than 1000 states (the canvas saves one for each it draws)', () => {
    const names = Array.from({ length: 1001 }, (_, i) => `s${i}`);
    const big = { key: 'big', name: 'Big', initial: 's0', states: Object.fromEntries(names.map((n) => [n, { end: true }])) };
    const everyPlace = { '(entry)': { x: 0, y: -150 }, ...Object.fromEntries(names.map((n, i) => [n, { x: 0, y: i }])) };
    const { envelope, issues } = splitEnvelope({ ...big, layout: everyPlace }, ['layout']);
    expect(issues).toEqual([]);
    expect(Object.keys(envelope.layout ?? {})).toHaveLength(1002);
    expect(unknownNodeIssues(envelope.layout!, big)).toEqual([]);
    expect(issuesOf(() => refuseUnknownNodes(envelope.layout!, big))).toEqual([]);
    expect(layoutCap(big)).toBe(1002);
  });

  it('answers more names than the version has states and the entry (never fewer than 1000) with one issue at layout', () => {
    const tooMany = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`s${i}`, { x: i, y: i }]));
    expect(layoutCap(definition)).toBe(1000);
    expect(layoutCap(null)).toBe(1000);
    expect(unknownNodeIssues(tooMany, definition)).toEqual([{ path: 'layout', message: "at most 1000 nodes (the version's states and the entry)" }]);
    expect(issuesOf(() => refuseUnknownNodes(tooMany, definition))).toEqual(['layout']);
  });
});
