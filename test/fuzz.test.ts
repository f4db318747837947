import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { apiRoutes } from '../src/api/docs/api-routes';
import { fuzzRequests, type FuzzRequest } from './support/fuzz-requests';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** Seeded so CI repeats the same requests; FC_SEED=random explores others (the seed is printed on failure). */
const SEED = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261121);
const COUNT = 10_000;
const IN_FLIGHT = 32;

interface Finding {
  request: string;
  status: number | string;
  body: string;
}

const describeRequest = (r: FuzzRequest) => {
  const body = r.body === null ? '' : typeof r.body === 'string' ? r.body : `bytes ${Buffer.from(r.body).toString('hex')}`;
  return `${r.method} ${r.path.slice(0, 200)} auth=${JSON.stringify(r.auth)?.slice(0, 60)} type=${r.contentType} ${r.shape}: ${body.slice(0, 200)}`;
};

describe('malformed requests to every documented route', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  async function send(r: FuzzRequest): Promise<Finding | null> {
    const headers: Record<string, string> = {};
    if (r.auth && 'role' in r.auth) headers.authorization = `Bearer ${sut.keys[r.auth.role]}`;
    else if (r.auth) headers.authorization = r.auth.header;
    if (r.contentType) headers['content-type'] = r.contentType;
    try {
      const res = await fetch(`${sut.baseUrl}${r.path}`, { method: r.method, headers, body: r.body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      // 503 would mean a dependency is down, which it is not here: a failure like any 5xx.
      if (res.status >= 500) return { request: describeRequest(r), status: res.status, body: text.slice(0, 300) };
      if (res.status >= 400 && !r.path.startsWith('/metrics') && !r.path.startsWith('/health')) {
        // Every refusal has the error shape of API.md.
        let shaped = false;
        try {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
          shaped = typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string' && Array.isArray(parsed.error.details);
        } catch {
          shaped = false;
        }
        if (!shaped) return { request: describeRequest(r), status: `${res.status} without the error shape`, body: text.slice(0, 300) };
      }
      return null;
    } catch (err) {
      return { request: describeRequest(r), status: `no answer: ${(err as Error).message}`, body: '' };
    }
  }

  it(`answers ${COUNT} generated requests without a 5xx, each refusal in the error shape`, async () => {
    const requests = fc.sample(fuzzRequests(apiRoutes), { numRuns: COUNT, seed: SEED });
    const findings: Finding[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) {
          const finding = await send(requests[next++]);
          if (finding) findings.push(finding);
        }
      }),
    );
    // FUZZ_DUMP=file keeps every finding, not just the first ten the assertion shows.
    if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, JSON.stringify(findings, null, 1));
    expect({ seed: SEED, findings: findings.slice(0, 10), total: findings.length }).toEqual({ seed: SEED, findings: [], total: 0 });
  });

  it('refuses what the fuzzing found: NUL in path or query values (400 naming the parameter), undecodable and over-long URLs in the error shape', async () => {
    const nulParam = await sut.request('GET', '/v1/users/a%00b', { role: 'support' });
    expect({ status: nulParam.status, details: nulParam.body.error?.details }).toEqual({ status: 400, details: [{ path: 'id', message: expect.any(String) }] });
    const nulQuery = await sut.request('GET', '/v1/campaigns/x/intervals?from=a%00&to=b', { role: 'operator' });
    expect({ status: nulQuery.status, paths: nulQuery.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['from'] });
    const nulBody = await sut.request('POST', '/v1/events', { role: 'ingest', body: { id: 'nul\u0000id', type: 'order.completed', userId: 'u-1' } });
    expect({ status: nulBody.status, code: nulBody.body.error?.code }).toEqual({ status: 400, code: 'invalid_text' });
    const badUrl = await sut.request('GET', '/v1/pools/%zz', { role: 'operator' });
    expect({ status: badUrl.status, code: badUrl.body.error?.code }).toEqual({ status: 400, code: 'invalid_url' });
    // Ids up to 200 characters must be reachable even percent-encoded (Fastify's default limit was 100).
    const longId = await sut.request('GET', `/v1/users/${encodeURIComponent('é'.repeat(200))}`, { role: 'support' });
    expect(longId.status).toBe(404);
    const tooLong = await sut.request('GET', `/v1/users/${'k'.repeat(3000)}`, { role: 'support' });
    expect({ status: tooLong.status, code: tooLong.body.error?.code }).toEqual({ status: 414, code: 'uri_too_long' });
  });

  it('is still healthy and still accepts a valid event afterwards', async () => {
    const health = await sut.request('GET', '/health');
    expect(health.status).toBe(200);
    const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: { id: 'after-fuzz', type: 'order.completed', userId: 'u-1', properties: { amount: 3 } } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, results: [{ id: 'after-fuzz', status: 'accepted', journeys: [] }] });
  });
});
