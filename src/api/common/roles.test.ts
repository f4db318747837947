import type { Role } from '../../config/config';
import { ROLE_GRANTS } from './roles';

describe('ROLE_GRANTS', () => {
  it('keeps ingest its own lane: support and operator keys may not send events, set profiles or redeem rewards', () => {
    // Not a ladder: .env.example and config.ts once said "weakest first", and a key chosen by that reading gets 403s.
    expect(ROLE_GRANTS.ingest.has('support')).toBe(false);
    expect(ROLE_GRANTS.ingest.has('operator')).toBe(false);
  });

  it('is the table of API.md: support < operator < admin, and admin may do everything', () => {
    const table = Object.fromEntries(Object.entries(ROLE_GRANTS).map(([needed, granted]) => [needed, [...granted].sort()]));
    expect(table).toEqual({
      ingest: ['admin', 'ingest'],
      support: ['admin', 'operator', 'support'],
      operator: ['admin', 'operator'],
      admin: ['admin'],
    } satisfies Record<Role, Role[]>);
  });
});
