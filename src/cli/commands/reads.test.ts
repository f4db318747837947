import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, withStubServer, type StubAnswer, type StubRequest } from '../test-support';

const unreachable = 'Temporal cannot be reached now; try again in a moment.';
const rewards = { rewards: [{ id: 'r1', campaign: 'welcome', kind: 'points', amount: '50', status: 'issued', causedBy: ['o-1'] }], total: 1, balances: { points: '50', credit: {} } };

/** Kairos while Temporal is away: the profile and rewards (PostgreSQL) answer, the journeys (Temporal) are a 503. */
function temporalAway(req: StubRequest): StubAnswer {
  if (req.path.startsWith('/v1/users/u-1/journeys')) return { status: 503, body: kairosError('temporal_unavailable', unreachable), headers: { 'retry-after': '5' } };
  if (req.path.startsWith('/v1/users/u-1/rewards')) return { status: 200, body: rewards };
  return { status: 200, body: { id: 'u-1', attributes: { level: 2 }, updatedAt: '2026-12-01T09:00:00.000Z' } };
}

const usersShow = (args: string[], answer: (req: StubRequest) => StubAnswer) => withStubServer(answer, (url) => runKairos(['--url', url, '--api-key', 'k', 'users', 'show', 'u-1', ...args]));

describe('users show while Temporal does not answer (review-47-cli note)', () => {
  it('still shows the profile and rewards, and says the journeys are not listed and why', async () => {
    const res = await usersShow([], temporalAway);
    expect(res.code).toBe(ExitCode.ok);
    expect(res.out).toContain('profile: {"level":2}');
    expect(res.out).toContain('journeys: not listed now (Temporal did not answer; try again in a moment)');
    expect(res.out).toContain('balances: 50 points');
    expect(res.err).toBe(`journeys: not listed now: 503 temporal_unavailable: ${unreachable}\n`);
  });

  it('--json gives journeys null beside the rest', async () => {
    const res = await usersShow(['--json'], temporalAway);
    expect(res.code).toBe(ExitCode.ok);
    expect(JSON.parse(res.out)).toMatchObject({ profile: { attributes: { level: 2 } }, journeys: null, journeysTruncated: null, total: 1 });
  });

  it('a 503 that is not Kairos saying Temporal did not answer (a proxy page) fails the command as usual', async () => {
    const res = await usersShow([], (req) => (req.path.startsWith('/v1/users/u-1/journeys') ? { status: 503, body: '<html>Service Unavailable</html>' } : temporalAway(req)));
    expect(res.code).toBe(ExitCode.unreachable);
  });

  it('any other failure of the journeys still fails the command', async () => {
    const res = await usersShow([], (req) => (req.path.startsWith('/v1/users/u-1/journeys') ? { status: 403, body: kairosError('forbidden', 'This key may not list journeys.') } : temporalAway(req)));
    expect(res.code).not.toBe(ExitCode.ok);
  });
});

// Review 61 (CLI), finding 3: Kairos's 503 without Retry-After says Temporal refused the listing, which asking again
// does not change: it was said as "did not answer; try again in a moment".
describe('users show when Temporal refuses to list the journeys (a 503 without Retry-After)', () => {
  const refusal = "Temporal refused to list the journeys of u-1 (INVALID_ARGUMENT): unknown search attribute UserId. The same request gets the same answer until that changes (Kairos's access to Temporal, or its visibility store).";
  const refusing = (req: StubRequest): StubAnswer => (req.path.startsWith('/v1/users/u-1/journeys') ? { status: 503, body: kairosError('temporal_unavailable', refusal) } : temporalAway(req));

  it('says it was refused, not "try again in a moment", with Kairos\'s reason on stderr; the rest still shows (exit 0)', async () => {
    const res = await usersShow([], refusing);
    expect(res.code).toBe(ExitCode.ok);
    expect(res.out).not.toContain('try again in a moment');
    expect(res.out).toContain('journeys: not listed (Temporal refused the listing: see stderr)');
    expect(res.out).toContain('balances: 50 points');
    expect(res.err).toBe(`journeys: not listed: 503 temporal_unavailable: ${refusal}\n`);
  });
});
