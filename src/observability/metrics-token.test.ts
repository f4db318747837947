import { Registry } from 'prom-client';
import type { Config } from '../config/config';
import { toHttpError } from '../api/common/http-error.filter';
import { MetricsController } from '../api/metrics/metrics.controller';
import { METRICS_TOKEN_NEEDED, metricsAuthorized } from './metrics-token';

describe('metricsAuthorized', () => {
  const token = 'scrape-4f9c2a7e51d08b36';

  it('lets every request through when no token is set', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized('Bearer anything', undefined)).toBe(true);
  });

  it('asks for the token as a bearer credential when one is set', () => {
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(undefined, token)).toBe(false);
    expect(metricsAuthorized(token, token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAuthorized('Bearer ', token)).toBe(false);
  });

  it('accepts any token of a comma-separated list (a rotation: old and new listed together), and no other', () => {
    const [old, next] = ['scrape-old-4f9c2a7e51d08b36', 'scrape-new-8d1e6b0c93a7f254'];
    for (const listed of [`${old},${next}`, `${old}, ${next}`]) {
      expect(metricsAuthorized(`Bearer ${old}`, listed)).toBe(true);
      expect(metricsAuthorized(`Bearer ${next}`, listed)).toBe(true);
      expect(metricsAuthorized(`Bearer ${old},${next}`, listed)).toBe(false);
      expect(metricsAuthorized(`Bearer ${next.slice(0, -1)}`, listed)).toBe(false);
      expect(metricsAuthorized(undefined, listed)).toBe(false);
    }
    expect(metricsAuthorized('Bearer ,', ',')).toBe(false);
  });
});

describe("the API's /metrics refusal", () => {
  it('is a 401 challenging for a bearer token, as the worker\'s /metrics is', () => {
    const controller = new MetricsController(new Registry(), { metricsToken: 'scrape-4f9c2a7e51d08b36' } as Config);
    let refusal: unknown;
    try {
      void controller.metrics(undefined);
    } catch (err) {
      refusal = err;
    }
    expect(toHttpError(refusal)).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer' },
      body: { error: { code: 'unauthorized', message: METRICS_TOKEN_NEEDED, details: [] } },
    });
  });
});
