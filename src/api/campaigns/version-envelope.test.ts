import { InputError } from '../common/errors';
import { refuseUnknownNodes, splitEnvelope } from './version-envelope';

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
});
