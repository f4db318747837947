import { describeError, Explained, KairosRedirectError, NO_ANSWER } from './api';

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

  it('says a failure the console words itself with its lines, as the API’s problems', () => {
    expect(describeError(new Explained('Kairos is not answering (503).', ['The key is kept.']))).toEqual({ message: 'Kairos is not answering (503).', details: ['The key is kept.'] });
  });
});
