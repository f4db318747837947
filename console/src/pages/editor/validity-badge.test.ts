import { validityBadge } from './validity-badge';

describe('the validity badge', () => {
  it('says the text does not parse, with its line, before any count of the last good text', () => {
    expect(validityBadge({ fresh: true, total: 1, warned: 0, text: { view: 'yaml', message: 'bad indent', line: 13 } })).toEqual({ text: 'YAML does not parse (line 13)', tone: 'error' });
    expect(validityBadge({ fresh: false, total: 0, warned: 0, text: { view: 'json', message: 'Unexpected token', line: null } })).toEqual({ text: 'JSON does not parse', tone: 'error' });
  });

  it('otherwise says checking, compiles, what to fix before activating, or how many issues', () => {
    expect(validityBadge({ fresh: false, total: 3, warned: 0, text: null })).toEqual({ text: 'checking…', tone: 'checking' });
    expect(validityBadge({ fresh: true, total: 0, warned: 0, text: null })).toEqual({ text: 'compiles', tone: 'ok' });
    expect(validityBadge({ fresh: true, total: 1, warned: 1, text: null })).toEqual({ text: 'compiles; 1 to fix before activating', tone: 'held' });
    expect(validityBadge({ fresh: true, total: 1, warned: 0, text: null })).toEqual({ text: '1 issue', tone: 'error' });
    expect(validityBadge({ fresh: true, total: 2, warned: 0, text: null })).toEqual({ text: '2 issues', tone: 'error' });
    // A check that got no answer found nothing, which is not "compiles".
    expect(validityBadge({ fresh: true, total: 0, warned: 0, text: null, unchecked: true })).toEqual({ text: 'not checked: Kairos did not answer', tone: 'error' });
  });

  it('says which status Kairos answered a failed check with, rather than that it did not answer', () => {
    expect(validityBadge({ fresh: true, total: 0, warned: 0, text: null, unchecked: true, answered: 503 })).toEqual({ text: 'not checked: Kairos answered 503', tone: 'error' });
    expect(validityBadge({ fresh: true, total: 0, warned: 0, text: null, unchecked: true, answered: null })).toEqual({ text: 'not checked: Kairos did not answer', tone: 'error' });
  });
});
