import { describeError, KairosApiError, KairosRedirectError } from '../../api';
import { noteRetryAfter } from '../../retry-after';
import { checkFailure, keyRefused } from './check-failure';

const apiError = (status: number, message?: string, code = 'x') => new KairosApiError(status, message ? { error: { code, message, details: [] } } : undefined);
/** As the page says it: the sentence, then each line under it. */
const said = (error: unknown) => {
  const { message, details } = describeError(error);
  return [message, ...details].join(' ');
};

describe('checkFailure', () => {
  it('a redirect (a sign-in proxy whose session ended) says so, not a status, and that the key is kept', () => {
    const opaque = new KairosRedirectError(new Response(null, { status: 302, headers: { Location: 'https://sso.example.com/login' } }));
    const text = said(checkFailure(opaque));
    expect(text).toContain('a redirect to https://sso.example.com/login');
    expect(text).toContain('The key is kept');
    expect(text).not.toMatch(/could not check the key \(302\)/);
  });


  it('Kairos’s own 401 or 403 judges the key: the API’s own words', () => {
    for (const [status, code] of [
      [401, 'unauthorized'],
      [403, 'forbidden'],
    ] as const) {
      const refused = apiError(status, 'unknown API key', code);
      expect(keyRefused(refused)).toBe(true);
      expect(checkFailure(refused)).toBe(refused);
    }
  });

  it('a 401 or 403 that is not Kairos’s (a sign-in proxy’s bare answer) keeps the key and says to sign in there', () => {
    for (const refused of [
      new KairosApiError(401, undefined),
      new KairosApiError(403, undefined),
      // A body of Kairos's shape, but not a refusal's code: not Kairos refusing the key either.
      apiError(401, 'Sign in at the portal.', 'session_expired'),
    ]) {
      expect(keyRefused(refused)).toBe(false);
      const text = said(checkFailure(refused));
      expect(text).toMatch(new RegExp(`^Something in front of Kairos refused the request \\(${refused.status}, not Kairos's own answer\\).*Reload the page`));
      expect(text).toContain('The key is kept');
    }
  });

  it('a server error says Kairos is not answering, with its status and words, and that the key is kept', () => {
    const failure = apiError(503, 'PostgreSQL is not reachable.');
    expect(keyRefused(failure)).toBe(false);
    expect(said(checkFailure(failure))).toBe('Kairos is not answering (503); try again in a moment. The key is kept: press Sign in to try again. Kairos said: PostgreSQL is not reachable.');
    expect(said(checkFailure(apiError(502)))).toBe('Kairos is not answering (502); try again in a moment. The key is kept: press Sign in to try again.');
  });

  it('a 503 says how long Kairos asked to wait, when it said (Kairos starting, a proxy draining)', () => {
    const starting = new KairosApiError(503, { error: { code: 'postgres_unavailable', message: 'PostgreSQL is not reachable.', details: [] } }, { 'Retry-After': '30' });
    noteRetryAfter(starting, new Response(null, { status: 503, headers: { 'retry-after': '30' } }));
    expect(said(checkFailure(starting))).toBe('Kairos is not answering (503); try again in 30 s. The key is kept: press Sign in to try again. Kairos said: PostgreSQL is not reachable.');
  });

  it('a 429 says how long Kairos asked to wait, when it said', () => {
    const busy = apiError(429);
    noteRetryAfter(busy, new Response(null, { status: 429, headers: { 'Retry-After': '20' } }));
    expect(said(checkFailure(busy))).toBe('Kairos is busy (429: too many requests); try again in 20 s. The key is kept: press Sign in to try again.');
    expect(said(checkFailure(apiError(429)))).toMatch(/^Kairos is busy \(429: too many requests\); try again in a moment\. The key is kept/);
  });

  it('no answer at all, or an answer that is not Kairos’s, keeps the key too', () => {
    expect(keyRefused(new TypeError('Failed to fetch'))).toBe(false);
    expect(said(checkFailure(new TypeError('Failed to fetch')))).toMatch(/^Kairos is not answering \(no answer came: .*\); try again in a moment\. The key is kept: press Sign in to try again\.$/);
    expect(said(checkFailure(new Error('the answer is not JSON')))).toBe('Kairos could not check the key (the answer is not JSON). The key is kept: press Sign in to try again.');
  });
});
