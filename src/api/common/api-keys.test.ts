import { ApiKeyRing } from './api-keys';
import { ROLE_GRANTS } from './roles';

describe('ApiKeyRing', () => {
  const ring = new ApiKeyRing(new Map([['k-ingest', 'ingest'], ['k-admin', 'admin']] as const));
  it('finds the role of a known key and nothing for others', () => {
    expect(ring.roleOf('k-ingest')).toBe('ingest');
    expect(ring.roleOf('k-admin')).toBe('admin');
    expect(ring.roleOf('k-admi')).toBeUndefined();
    expect(ring.roleOf('')).toBeUndefined();
  });
});

describe('role grants of API.md', () => {
  it('lets admin do everything, operator what support may, and keeps ingest its own lane', () => {
    expect(ROLE_GRANTS.ingest.has('admin')).toBe(true);
    expect(ROLE_GRANTS.ingest.has('operator')).toBe(false);
    expect(ROLE_GRANTS.support.has('operator')).toBe(true);
    expect(ROLE_GRANTS.support.has('ingest')).toBe(false);
    expect(ROLE_GRANTS.operator.has('support')).toBe(false);
    expect([...ROLE_GRANTS.admin]).toEqual(['admin']);
  });
});
