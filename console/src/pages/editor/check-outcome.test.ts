import { describeError, KairosApiError, NO_ANSWER } from '../../api';
import { answeredStatus, checkOutcome, RETRY_MS } from './check-outcome';

/** An openapi-fetch result as it hands an answer over: the body parsed as JSON when it parses, else its text. */
function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const response = new Response(text, { status, headers });
  return Promise.resolve(response.ok ? { data: body as { warnings?: [] }, response } : { error: body, response });
}

const kairosError = (code: string, message: string, details: Array<{ path: string; message: string }> = []) => ({ error: { code, message, details } });

describe('checkOutcome: what one compile check of the canvas came to', () => {
  it("takes the compiler's 400 as the campaign's issues, and its 200's warnings", async () => {
    const issues = [{ path: 'initial', message: 'no state named nope' }];
    expect(await checkOutcome(answer(400, kairosError('validation_failed', 'Campaign is invalid', issues)))).toEqual({ kind: 'checked', issues, warnings: [] });
    const warnings = [{ path: 'states.a.actions.steps[0].pool', message: 'no pool vip yet' }];
    expect(await checkOutcome(answer(200, { warnings }))).toEqual({ kind: 'checked', issues: [], warnings });
  });

  it("words an answer that is not Kairos's by its status, never as a TypeError, and asks again", async () => {
    for (const [status, body] of [
      [502, '<html><body>Bad Gateway</body></html>'],
      [429, { message: 'Too Many Requests' }],
    ] as const) {
      const outcome = await checkOutcome(answer(status, body));
      expect(outcome).toMatchObject({ kind: 'failed', retryInMs: RETRY_MS });
      const error = outcome.kind === 'failed' ? outcome.error : null;
      expect(error).toBeInstanceOf(KairosApiError);
      expect(describeError(error)).toEqual({ message: `${status} from the API`, details: [] });
      expect(answeredStatus(error)).toBe(status);
    }
    // A 400 from something in front of Kairos is not the compiler's: no issues read out of it.
    expect(await checkOutcome(answer(400, '<html>Bad Request</html>'))).toMatchObject({ kind: 'failed', retryInMs: null });
  });

  it("asks again after Kairos's 503 no sooner than its Retry-After, and never sooner than the usual retry", async () => {
    const unavailable = kairosError('unavailable', 'PostgreSQL is not answering');
    const later = await checkOutcome(answer(503, unavailable, { 'retry-after': '12' }));
    expect(later).toMatchObject({ kind: 'failed', retryInMs: 12_000 });
    expect(describeError(later.kind === 'failed' ? later.error : null).message).toBe('PostgreSQL is not answering');
    expect(await checkOutcome(answer(503, unavailable, { 'retry-after': '2' }))).toMatchObject({ kind: 'failed', retryInMs: RETRY_MS });
    expect(await checkOutcome(answer(503, unavailable))).toMatchObject({ kind: 'failed', retryInMs: RETRY_MS });
  });

  it('asks again after no answer at all, and not after a refusal that would be the same next time', async () => {
    const none = await checkOutcome(Promise.reject(new TypeError('Failed to fetch')));
    expect(none).toMatchObject({ kind: 'failed', retryInMs: RETRY_MS });
    expect(describeError(none.kind === 'failed' ? none.error : null).message).toBe(NO_ANSWER);
    expect(answeredStatus(none.kind === 'failed' ? none.error : null)).toBeNull();
    expect(await checkOutcome(answer(403, kairosError('forbidden', 'This key may not do that')))).toMatchObject({ kind: 'failed', retryInMs: null });
  });
});
