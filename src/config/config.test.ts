import { ConfigError, generateDevKeys, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'kairos-journeys', devPort: 7233, uiPort: 8233 });
    expect(c.dataDir.endsWith('.kairos')).toBe(true);
    expect(c.apiKeys).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(c.workerMetricsPort).toBe(9464);
    expect(c.workerMaxCachedJourneys).toBeUndefined();
  });

  it('takes a worker cache size of at least 2', () => {
    expect(loadConfig({ WORKER_MAX_CACHED_JOURNEYS: '5000' }).workerMaxCachedJourneys).toBe(5000);
    expect(() => loadConfig({ WORKER_MAX_CACHED_JOURNEYS: '1' })).toThrow(/WORKER_MAX_CACHED_JOURNEYS/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_JOURNEYS: 'many' })).toThrow(/WORKER_MAX_CACHED_JOURNEYS/);
  });

  it('parses API_KEYS into roles, splitting on the last colon', () => {
    const c = loadConfig({ API_KEYS: 'abc:ingest, x:y:admin ,s:support' });
    expect([...c.apiKeys!]).toEqual([
      ['abc', 'ingest'],
      ['x:y', 'admin'],
      ['s', 'support'],
    ]);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_KEYS: 'k:superuser' })).toThrow(/API_KEYS: entry 1 must be key:role/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', API_KEYS: '' }).temporal.address).toBeUndefined();
  });

  it('reads MESSAGE_WEBHOOKS as JSON channel → { url, secret }, and WEBHOOK_SECRET', () => {
    expect(loadConfig({}).messageWebhooks).toEqual({});
    const c = loadConfig({ MESSAGE_WEBHOOKS: '{"push":{"url":"https://push.example/hook","secret":"s1"}}', WEBHOOK_SECRET: 'w' });
    expect(c.messageWebhooks).toEqual({ push: { url: 'https://push.example/hook', secret: 's1' } });
    expect(c.webhookSecret).toBe('w');
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{push' })).toThrow(/MESSAGE_WEBHOOKS: must be JSON/);
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"push":{"url":"not a url","secret":"s"}}' })).toThrow(/MESSAGE_WEBHOOKS\.push\.url/);
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"fax":{"url":"https://x.example","secret":"s"}}' })).toThrow(/MESSAGE_WEBHOOKS/);
  });

  it('caps payload sizes at 256/256/512 KiB by default, settable between 1 KiB and 1 MiB', () => {
    expect(loadConfig({}).sizeCaps).toEqual({ eventPropertiesBytes: 262144, profileAttributesBytes: 262144, campaignBytes: 524288 });
    expect(loadConfig({ MAX_EVENT_PROPERTIES_BYTES: '65536' }).sizeCaps.eventPropertiesBytes).toBe(65536);
    expect(() => loadConfig({ MAX_CAMPAIGN_BYTES: String(2 * 1024 * 1024) })).toThrow(/MAX_CAMPAIGN_BYTES/);
    expect(() => loadConfig({ MAX_PROFILE_ATTRIBUTES_BYTES: '10' })).toThrow(/MAX_PROFILE_ATTRIBUTES_BYTES/);
  });

  it('generates one distinct development key per role', () => {
    const keys = generateDevKeys();
    expect([...keys.values()].sort()).toEqual(['admin', 'ingest', 'operator', 'support']);
    expect(new Set(keys.keys()).size).toBe(4);
  });
});
