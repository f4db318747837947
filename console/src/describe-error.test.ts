import { describeError, Explained, KairosApiError, KairosRedirectError, keyRefusedByKairos, NO_ANSWER, refusedByKairos } from './api';

describe('describeError', () => {
  it("says Kairos did not answer instead of the browser's own words for a fetch that got no answer", () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(describeError(new TypeError(message))).toEqual({ message: NO_ANSWER, details: [] });
    }
  });

  it('keeps any other error as it is, a TypeError from a bug included', () => {
    expect(describeError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({ message: "Cannot read properties of undefined (reading 'x')", details: [] });
    expect(describeError('plain')).toEqual({ message: 'plain', details: [] });
  });

  it('says a redirect (a sign-in proxy whose session ended) is one, and where it pointed when the answer said', () => {
    // As a browser gives it with redirect: 'manual': an opaque answer of status 0, its Location hidden.
    const opaque = describeError(new KairosRedirectError({ status: 0, type: 'opaqueredirect', headers: new Headers(), url: '' } as unknown as Response));
    expect(opaque.message).not.toMatch(/from the API/);
    expect(opaque.message).toMatch(/redirect \(the browser does not say where to\).*sign-in proxy/);
    const told = describeError(
      new KairosRedirectError({ status: 302, type: 'basic', headers: new Headers({ location: '/oauth2/start?rd=%2Fv1' }), url: 'https://kairos.example/v1/users/u1/events' } as unknown as Response),
    );
    expect(told).toEqual({ message: expect.stringContaining('a redirect to https://kairos.example/oauth2/start?rd=%2Fv1:') as unknown, details: [] });
  });

  it('says a bare 401 or 403 (a sign-in proxy’s) came from in front of Kairos, not that Kairos refused the key', () => {
    for (const status of [401, 403]) {
      const { message } = describeError(new KairosApiError(status, undefined));
      expect(message).toMatch(new RegExp(`^Something in front of Kairos refused the request \\(${status}, not Kairos's own answer\\).*Reload the page`));
      expect(keyRefusedByKairos(new KairosApiError(status, undefined))).toBe(false);
    }
    // Kairos's own refusal keeps its words.
    const own = new KairosApiError(401, { error: { code: 'unauthorized', message: 'Unknown or revoked API key.', details: [] } });
    expect(keyRefusedByKairos(own)).toBe(true);
    expect(describeError(own).message).toBe('Unknown or revoked API key.');
  });

  it('takes a 401 or 403 for Kairos refusing the key only by its error body’s code', () => {
    expect(refusedByKairos(401, { error: { code: 'unauthorized', message: 'x', details: [] } })).toBe(true);
    expect(refusedByKairos(403, { error: { code: 'forbidden', message: 'x', details: [] } })).toBe(true);
    expect(refusedByKairos(401, undefined)).toBe(false);
    expect(refusedByKairos(401, '<html>Sign in</html>')).toBe(false);
    expect(refusedByKairos(401, { message: 'Unauthorized' })).toBe(false);
    expect(refusedByKairos(401, { error: { code: 'forbidden' } })).toBe(false);
    expect(refusedByKairos(500, { error: { code: 'unauthorized' } })).toBe(false);
  });

  it('says a failure the console words itself with its lines, as the API’s problems', () => {
    expect(describeError(new Explained('Kairos is not answering (503).', ['The key is kept.']))).toEqual({ message: 'Kairos is not answering (503).', details: ['The key is kept.'] });
  });
});
