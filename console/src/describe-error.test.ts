import { describeError, Explained, NO_ANSWER } from './api';

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

  it('says a failure the console words itself with its lines, as the API’s problems', () => {
    expect(describeError(new Explained('Kairos is not answering (503).', ['The key is kept.']))).toEqual({ message: 'Kairos is not answering (503).', details: ['The key is kept.'] });
  });
});
