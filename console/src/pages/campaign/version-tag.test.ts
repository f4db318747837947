import { versionTag } from './version-tag';

describe('versionTag', () => {
  it("reads as the campaign's status for the version it points at, nothing for the others", () => {
    expect(versionTag(2, { activeVersion: 2, status: 'active' })).toBe(' (active)');
    expect(versionTag(2, { activeVersion: 2, status: 'paused' })).toBe(' (active, paused)');
    expect(versionTag(2, { activeVersion: 2, status: 'archived' })).toBe(' (last active; archived)');
    expect(versionTag(1, { activeVersion: 2, status: 'active' })).toBe('');
    expect(versionTag(1, { activeVersion: null, status: 'draft' })).toBe('');
  });
});
