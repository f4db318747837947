import { describeFailure, KairosApiError } from './api';
import { ExitCode } from './exit-codes';
import { kairosError, runKairos, withStubServer } from './test-support';

describe('Retry-After (review 44, finding 6)', () => {
  const cases = [
    // Kairos's own words point at the header: the CLI says its number instead.
    { status: 503, message: 'PostgreSQL is not reachable; retry after Retry-After seconds.', retryAfter: '5', said: 'kairos: PostgreSQL is not reachable; retry in 5 s.' },
    { status: 429, message: 'Too many requests.', retryAfter: '2', said: 'kairos: Too many requests. (retry in 2 s)' },
    // Left out on purpose: repeating the request is not what would help, and the CLI must not say it would.
    { status: 503, message: 'Temporal did not confirm the pause; sending it again would pause the campaign again.', retryAfter: undefined, said: 'kairos: Temporal did not confirm the pause; sending it again would pause the campaign again.' },
  ];

  it.each(cases)('a $status with Retry-After $retryAfter says the seconds (or nothing of retrying without it), exit 3', async ({ status, message, retryAfter, said }) => {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    const answer = { status, body: kairosError('unavailable', message), headers };
    await withStubServer(
      () => answer,
      async (url) => {
        const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'list']);
        expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.unreachable, err: `${said}\n` });
      },
    );
  });
});

describe('a URL that redirects (review 44, finding 7)', () => {
  /** A server that redirects every request to `target` + its path, as an http load balancer sends on to https. */
  const redirecting = (status: number, target: string) => (req: { path: string }) => ({ status, headers: { location: `${target}${req.path}` }, body: '<h1>Moved</h1>' });

  it('is not followed: the command says where it points and exits 2, and nothing reaches the target', async () => {
    await withStubServer(
      () => ({ status: 200, body: { campaigns: [] } }),
      async (target, reached) => {
        for (const [status, argv] of [
          [301, ['campaigns', 'list']],
          [302, ['events', 'send', '--type', 't', '--user', 'u', '--id', 'e1']],
          [308, ['pools', 'show', 'p']],
        ] as const) {
          await withStubServer(redirecting(status, target), async (url) => {
            const res = await runKairos(['--url', url, '--api-key', 'k', ...argv]);
            expect({ status, code: res.code, err: res.err }).toEqual({
              status,
              code: ExitCode.usage,
              err: expect.stringContaining(`kairos: ${url} answered ${status}, a redirect to ${target}/v1/`) as string,
            });
            expect(res.err).toContain("the CLI does not follow redirects (a POST would arrive as a GET, and the API key would not go to another origin); set the URL to where Kairos answers (--url, KAIROS_URL or a profile's url)");
          });
        }
        expect(reached).toEqual([]);
      },
    );
  });
});

describe('a request sent whose answer never came (review 49, findings 2 and 3)', () => {
  const conn = { url: 'https://kairos.example.test', from: '--url', timeoutMs: undefined };
  /** fetch's own failure, as undici gives it: a TypeError "fetch failed" whose cause carries the code. */
  const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

  it.each(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'])('a connection that broke after sending (%s) may have taken effect, and says how to send it again safely, exit 3', (code) => {
    const failure = describeFailure(fetchFailed(code), conn);
    expect({ code: failure.exitCode, message: failure.message }).toEqual({
      code: ExitCode.unreachable,
      message: `the connection to Kairos at https://kairos.example.test broke before its answer came (${code}); what was sent may still take effect there, so look before sending it again, unless it goes with the same --id (events send, pools top-up) or --idempotency-key (journeys retry, skip), which Kairos carries out once`,
    });
  });

  it('an answer that broke off while its body came ("terminated") is the same', () => {
    const cutOff = Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(describeFailure(cutOff, conn).message).toMatch(/^the connection to Kairos at https:\/\/kairos\.example\.test broke before its answer came \(UND_ERR_SOCKET\); what was sent may still take effect there/);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID'])('a connection never made (%s) is still "cannot reach": nothing was sent', (code) => {
    expect(describeFailure(fetchFailed(code), conn).message).toBe(`cannot reach Kairos at https://kairos.example.test: ${code} (set KAIROS_URL or a profile; is it running?)`);
  });
});

// Review 59 (CLI), finding 3: a gateway's Retry-After was dropped, and its 429 was taken for something that is not Kairos.
describe("Retry-After of an answer without Kairos's error body", () => {
  const poolsList = (answer: { status: number; body: string; headers: Record<string, string> }) =>
    withStubServer(
      () => answer,
      (url) => runKairos(['--url', url, '--api-key', 'k', 'pools', 'list']),
    );

  it("a rate limiter's 429 says too many requests and when to retry, not that it may not be Kairos (exit 3)", async () => {
    const res = await poolsList({ status: 429, body: '<html>rate limited</html>', headers: { 'retry-after': '30', 'content-type': 'text/html' } });
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/too many requests/);
    expect(res.err).toMatch(/retry in 30 s/);
    expect(res.err).not.toMatch(/is it the Kairos API/);
  });

  it("a maintenance page's 503 says when to retry (exit 3)", async () => {
    const res = await poolsList({ status: 503, body: '<html>down for maintenance</html>', headers: { 'retry-after': '120', 'content-type': 'text/html' } });
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/answered 503 without Kairos's error body \(retry in 120 s\)/);
  });

  it('says nothing of retrying without the header', async () => {
    const res = await poolsList({ status: 429, body: 'slow down', headers: {} });
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).not.toMatch(/retry in/);
  });
});

// Review 60 (docs), finding 1: as root, npm start keeps its keys under KAIROS_DATA_DIR, and the hint named only .kairos/.
describe('a 401 when no API key was sent', () => {
  it('names KAIROS_DATA_DIR, which moves the development key the CLI looks for, exit 3', () => {
    const failure = describeFailure(new KairosApiError(401, kairosError('unauthorized', 'Missing API key.')), { url: 'http://127.0.0.1:3000', from: 'the default http://127.0.0.1:3000' });
    expect(failure.exitCode).toBe(ExitCode.unreachable);
    expect(failure.message).toMatch(/^no API key was sent \(http:\/\/127\.0\.0\.1:3000\): set KAIROS_API_KEY/);
    expect(failure.message).toContain('KAIROS_DATA_DIR');
    expect(failure.message).toMatch(/when npm start ran with KAIROS_DATA_DIR, set it here too/);
  });
});
