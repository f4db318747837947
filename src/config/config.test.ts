import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ConfigSchema, generateDevKeys, loadConfig } from './config';

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

  it('refuses an API key no HTTP header can carry as written, naming its entry and never the key', () => {
    const problemsOf = (raw: string) => {
      try {
        loadConfig({ API_KEYS: raw }, { api: true, worker: false, embedded: false });
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    const good = 'k3y-0f-f0rty-ch4rs-ab12cd34ef56ab12cd34';
    for (const bad of ['clé-0123456789abcdef', 'key-0123456789abcdef\u200b', 'tab\tin-0123456789abcdef', 'space in-0123456789abcdef']) {
      const problems = problemsOf(`${good}:ingest,${bad}:admin`);
      expect(problems).toEqual(['API_KEYS: entry 2: the key must be printable ASCII without spaces (it travels in an HTTP header); generate one (e.g. `openssl rand -hex 24`)']);
      expect(problems.join('\n')).not.toContain(bad.trim());
    }
    // Without the boot rules too (tests, tools): such a key never authenticates anywhere.
    expect(() => loadConfig({ API_KEYS: 'clé-0123456789abcdef:admin' })).toThrow(/API_KEYS: entry 1: the key must be printable ASCII/);
  });

  it('refuses a key listed twice, naming both entries, rather than letting the last role win', () => {
    const key = '0123456789abcdef0123456789abcdef';
    let problems: string[] = [];
    try {
      loadConfig({ API_KEYS: `${key}:ingest,other-key-0123456789abcdef:support,${key}:admin` }, { api: true, worker: false, embedded: false });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['API_KEYS: entries 1 and 3 list the same key (as ingest and admin); list each key once, with its one role']);
    expect(problems[0]).not.toContain(key);
    // The same key with the same role grants nothing unmeant: it boots, as before.
    expect(loadConfig({ API_KEYS: `${key}:admin, ${key}:admin` }).apiKeys?.get(key)).toBe('admin');
  });

  it('takes HOST as an IP address or a host name, and refuses what is neither before any lookup', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'kairos-api', 'kairos_api_1', 'api.internal.example', 'api.internal.example.']) {
      expect(loadConfig({ HOST: host }).host).toBe(host);
    }
    for (const host of ['0.0.0.0.', '1.2.3', '300.1.1.1', '[::1]', 'http://0.0.0.0', '0.0.0.0:3000', 'two words', '-api']) {
      expect(() => loadConfig({ HOST: host })).toThrow(/HOST: must be an IP address \(IPv6 without brackets, e\.g\. ::\) or a host name of this machine/);
    }
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: expected a port number, 1 to 65535/);
    expect(() => loadConfig({ TEMPORAL_UI_PORT: '70000' })).toThrow(/TEMPORAL_UI_PORT: expected a port number, 1 to 65535/);
    expect(() => loadConfig({ API_KEYS: 'k:superuser' })).toThrow(/API_KEYS: entry 1 must be key:role/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    // Five fields, but no schedule: refused at boot, not when the worker creates it.
    expect(() => loadConfig({ RETENTION_CRON: '99 99 * * *' })).toThrow(/RETENTION_CRON: Invalid value for minute: 99/);
    expect(() => loadConfig({ RETENTION_CRON: '0 3 1 * MON' })).toThrow(/RETENTION_CRON: both day-of-month/);
    expect(loadConfig({ RETENTION_CRON: '30 2 * * SUN' }).retention.cron).toBe('30 2 * * SUN');
    // Review 63 (batch), finding 1: Temporal reads SUN ending a range as 0 and refused the worker's schedule at boot, unnamed.
    expect(() => loadConfig({ RETENTION_CRON: '17 3 * * sat-sun' })).toThrow(/RETENTION_CRON: day-of-week `sat-sun`: .*SUN ending a range is 0.*write sat-7/);
    expect(loadConfig({ RETENTION_CRON: '17 3 * * sat-7' }).retention.cron).toBe('17 3 * * sat-7');
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
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"push":{"url":"https://u:p@push.example/hook","secret":"s"}}' })).toThrow(/MESSAGE_WEBHOOKS\.push\.url: credentials in the URL/);
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"push":{"url":"ftp://push.example/hook","secret":"s"}}' })).toThrow(/MESSAGE_WEBHOOKS\.push\.url: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"fax":{"url":"https://x.example","secret":"s"}}' })).toThrow(/MESSAGE_WEBHOOKS/);
  });

  describe("a message webhook on a private or loopback address: the operator's own gateway, exempt for its messages only", () => {
    const hook = (channel: string, url: string) => JSON.stringify({ [channel]: { url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });

    it('boots without a WEBHOOK_ALLOWED_HOSTS entry, which would open the gateway to every campaign webhook step', () => {
      const c = loadConfig({ MESSAGE_WEBHOOKS: hook('push', 'http://10.0.0.5:8080/push') });
      expect(c.messageWebhooks.push?.url).toBe('http://10.0.0.5:8080/push');
      expect(c.webhookAllowedHosts).toEqual([]);
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('sms', 'http://127.0.0.1:4000/') }).messageWebhooks.sms?.url).toBe('http://127.0.0.1:4000/');
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('inapp', 'http://[::1]/in') }).messageWebhooks.inapp?.url).toBe('http://[::1]/in');
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('email', 'https://localhost:4000/') }).messageWebhooks.email?.url).toBe('https://localhost:4000/');
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('push', 'https://93.184.216.34/push') }).messageWebhooks.push?.url).toBe('https://93.184.216.34/push');
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('push', 'http://push-gateway:8080/') }).messageWebhooks.push?.url).toBe('http://push-gateway:8080/');
      // Production mode and npm start alike.
      const worker = { api: false, worker: true, embedded: false };
      expect(loadConfig({ WEBHOOK_UNSIGNED: 'allow', MESSAGE_WEBHOOKS: hook('push', 'http://10.0.0.5:8080/push') }, worker).messageWebhooks.push?.url).toBe('http://10.0.0.5:8080/push');
      expect(loadConfig({ MESSAGE_WEBHOOKS: hook('push', 'http://127.0.0.1:4000/') }, { api: true, worker: true, embedded: true }).webhookAllowedHosts).toEqual([]);
    });
  });

  describe("a channel's secret equal to WEBHOOK_SECRET (a webhook step could sign messages)", () => {
    const S = `whsec_${randomBytes(32).toString('base64')}`;
    const hooks = (secret: string) => JSON.stringify({ push: { url: 'https://push.example/x', secret }, sms: { url: 'https://sms.example/x', secret: `whsec_${randomBytes(32).toString('base64')}` } });
    const worker = { api: false, worker: true, embedded: false };

    it('stops the worker, naming MESSAGE_WEBHOOKS.<channel>.secret', () => {
      expect(() => loadConfig({ WEBHOOK_SECRET: S, MESSAGE_WEBHOOKS: hooks(S) }, worker)).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: is the same as WEBHOOK_SECRET; a campaign webhook step .* could then sign messages for this channel; generate one of its own/);
      // Only the channel that shares it.
      try {
        loadConfig({ WEBHOOK_SECRET: S, MESSAGE_WEBHOOKS: hooks(S) }, worker);
      } catch (err) {
        expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^MESSAGE_WEBHOOKS\.push\.secret: is the same as WEBHOOK_SECRET/)]);
      }
    });

    it('wherever Kairos runs: npm start, the API, and tools that pass no parts', () => {
      for (const parts of [undefined, { api: true, worker: true, embedded: true }, { api: true, worker: false, embedded: false }]) {
        expect(() => loadConfig({ WEBHOOK_SECRET: S, MESSAGE_WEBHOOKS: hooks(S), API_KEYS: 'k3y-0f-f0rty-ch4rs-ab12cd34ef56ab12cd34:admin' }, parts)).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: is the same as WEBHOOK_SECRET/);
      }
      // A plain-text secret too (X-Kairos-Signature keys on the text).
      expect(() => loadConfig({ WEBHOOK_SECRET: 'a-long-random-secret-0f9e8d7c', MESSAGE_WEBHOOKS: hooks('a-long-random-secret-0f9e8d7c') })).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: is the same as WEBHOOK_SECRET/);
    });

    it('also when written two ways with one Standard Webhooks key (whsec_<base64 of s> and s)', () => {
      const plain = 'a-long-random-secret-0f9e8d7c';
      const asWhsec = `whsec_${Buffer.from(plain, 'utf8').toString('base64')}`;
      expect(() => loadConfig({ WEBHOOK_SECRET: plain, MESSAGE_WEBHOOKS: hooks(asWhsec) })).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: has the same key as WEBHOOK_SECRET/);
      expect(() => loadConfig({ WEBHOOK_SECRET: asWhsec, MESSAGE_WEBHOOKS: hooks(plain) })).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: has the same key as WEBHOOK_SECRET/);
    });

    it('boots with a secret of its own, or without WEBHOOK_SECRET', () => {
      const own = `whsec_${randomBytes(32).toString('base64')}`;
      expect(loadConfig({ WEBHOOK_SECRET: S, MESSAGE_WEBHOOKS: hooks(own) }, worker).messageWebhooks.push?.secret).toBe(own);
      expect(loadConfig({ WEBHOOK_UNSIGNED: 'allow', MESSAGE_WEBHOOKS: hooks(S) }, worker).messageWebhooks.push?.secret).toBe(S);
    });
  });

  it('reads WEBHOOK_ALLOWED_HOSTS as host or host:port entries, IPv6 in brackets or bare', () => {
    expect(loadConfig({}).webhookAllowedHosts).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, Hooks.Internal:8443,[::1]:9000,::1,' }).webhookAllowedHosts).toEqual([
      { host: '127.0.0.1' },
      { host: 'hooks.internal', port: 8443 },
      { host: '::1', port: 9000 },
      { host: '::1' },
    ]);
    // Written as a URL's host reads, so an entry matches the webhook URLs it means however it was spelled.
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: '[0:0:0:0:0:0:0:1]:9000,::ffff:127.0.0.1,127.1,Bücher.example' }).webhookAllowedHosts).toEqual([
      { host: '::1', port: 9000 },
      { host: '::ffff:7f00:1' },
      { host: '127.0.0.1' },
      { host: 'xn--bcher-kva.example' },
    ]);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'a.example:99999' })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 1: "a.example:99999" has no valid port/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'ok.example,http://x/' })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 2: "http:\/\/x\/" is a URL; list its host or host:port \(x\)/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'https://hooks.example:8443/in' })).toThrow(/is a URL; list its host or host:port \(hooks\.example:8443\)/);
    // No suggestion that would itself be refused (a port out of range), and no credentials repeated.
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://foo:99999' })).toThrow(/"http:\/\/foo:99999" is a URL; list its host or host:port$/m);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://user:secret@hooks.example/' })).toThrow(/list its host or host:port \(hooks\.example\)/);
  });

  it('refuses a wildcard or a host no webhook URL could have in WEBHOOK_ALLOWED_HOSTS: entries match exactly', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '*.partner.example' })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 1: "\*\.partner\.example": wildcards are not supported; list each host/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'ok.example,*:8443' })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 2: "\*:8443": wildcards are not supported/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '%2a.partner.example' })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 1: .*wildcards are not supported/);
    for (const entry of ['a!b.example', 'a$b.example', '{x}', 'a+b.example:80', '-lead.example']) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: entry })).toThrow(/WEBHOOK_ALLOWED_HOSTS: entry 1: ".*" is not a host or host:port/);
    }
    // Names Docker and internal DNS use are taken.
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'push_gateway:8080,crm.internal.,10.0.0.5' }).webhookAllowedHosts).toEqual([
      { host: 'push_gateway', port: 8080 },
      { host: 'crm.internal.' },
      { host: '10.0.0.5' },
    ]);
  });

  it('believes no proxy about the client address unless TRUST_PROXY says which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig({ TRUST_PROXY: 'lb.internal' })).toThrow(/TRUST_PROXY: "lb.internal" is not an address or a CIDR range/);
    expect(() => loadConfig({ TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY: a number of proxies is 1 to 10/);
  });

  it('takes TRUST_PROXY addresses only as people read them: Fastify would read 010.0.0.1 as octal 8.0.0.1 (review 59, finding 4)', () => {
    for (const entry of ['010.0.0.1', '0x0a.0.0.1', '10.1', '10.0.0.01', '010.0.0.0/8', '10.0.0.0/08', '::ffff:010.0.0.1']) {
      expect(() => loadConfig({ TRUST_PROXY: `127.0.0.1, ${entry}` })).toThrow(new RegExp(`TRUST_PROXY: "${entry.replace(/\./g, '\\.')}" is not written in the usual form`));
    }
    expect(loadConfig({ TRUST_PROXY: '0.0.0.0/0, 10.20.0.5, ::1, 2001:db8::/32, ::ffff:10.0.0.1' }).trustProxy).toBe('0.0.0.0/0,10.20.0.5,::1,2001:db8::/32,::ffff:10.0.0.1');
  });

  it('takes a whsec_ secret only when it is base64 after the prefix', () => {
    expect(loadConfig({ WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).webhookSecret).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(() => loadConfig({ WEBHOOK_SECRET: 'whsec_not base64!' })).toThrow(/WEBHOOK_SECRET: a whsec_ secret must be base64/);
    // Sixteen characters of text, nine bytes of key.
    expect(() => loadConfig({ WEBHOOK_SECRET: 'whsec_AAAAAAAAAAAA' })).toThrow(/WEBHOOK_SECRET: a whsec_ secret must hold at least 16 bytes/);
    expect(() => loadConfig({ MESSAGE_WEBHOOKS: '{"push":{"url":"https://p.example","secret":"whsec_??"}}' })).toThrow(/MESSAGE_WEBHOOKS\.push\.secret/);
  });

  describe('outside the embedded dev stack (npm run api, npm run worker, the image)', () => {
    const api = { api: true, worker: false, embedded: false };
    const worker = { api: false, worker: true, embedded: false };
    const both = { api: true, worker: true, embedded: false };
    const key = 'k3y-0f-f0rty-ch4rs-ab12cd34ef56ab12cd34';
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

    it('the API refuses to boot without API_KEYS, naming the variable', () => {
      expect(() => loadConfig({}, api)).toThrow(ConfigError);
      expect(() => loadConfig({}, api)).toThrow(/API_KEYS: is required when Kairos does not run its own dev stack/);
      expect(() => loadConfig({ API_KEYS: '' }, api)).toThrow(/API_KEYS: is required/);
      expect(loadConfig({ API_KEYS: `${key}:admin` }, api).apiKeys).toEqual(new Map([[key, 'admin']]));
    });

    it.each(['changeme', 'change-me-admin', 'CHANGE_ME_please_0123456789', 'your-key-here-0123456789', 'replace-me-with-a-real-key', 'secret', 'example-key-0123456789', 'xxxxxxxxxxxxxxxxxxxx', 'short-key', 'secret-secret-secret', 'admin-key-2024-0001'])(
      'refuses the placeholder or guessable key %s',
      (placeholder) => {
        expect(() => loadConfig({ API_KEYS: `${key}:ingest,${placeholder}:admin` }, api)).toThrow(/API_KEYS: entry 2: the key (is a placeholder|is shorter than 16)/);
      },
    );

    it('the worker refuses to boot without WEBHOOK_SECRET unless WEBHOOK_UNSIGNED=allow', () => {
      expect(() => loadConfig({}, worker)).toThrow(/WEBHOOK_SECRET: is required when Kairos does not run its own dev stack.*WEBHOOK_UNSIGNED=allow/);
      expect(loadConfig({ WEBHOOK_UNSIGNED: 'allow' }, worker).webhookSecret).toBeUndefined();
      expect(() => loadConfig({ WEBHOOK_UNSIGNED: 'yes' }, worker)).toThrow(/WEBHOOK_UNSIGNED/);
      expect(loadConfig({ WEBHOOK_SECRET: secret }, worker).webhookSecret).toBe(secret);
      expect(() => loadConfig({ WEBHOOK_SECRET: 'changeme' }, worker)).toThrow(/WEBHOOK_SECRET: is a placeholder/);
      expect(() => loadConfig({ WEBHOOK_SECRET: secret, MESSAGE_WEBHOOKS: '{"push":{"url":"https://p.example","secret":"change-me"}}' }, worker)).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: is a placeholder/);
    });

    it('the worker refuses a whsec_ secret whose key is one byte repeated (all zeros), which the prefix hides from the text checks', () => {
      const zeros = (bytes: number) => `whsec_${Buffer.alloc(bytes).toString('base64')}`;
      expect(zeros(16)).toBe('whsec_AAAAAAAAAAAAAAAAAAAAAA==');
      for (const placeholder of [zeros(16), zeros(32), `whsec_${Buffer.alloc(32, 1).toString('base64')}`]) {
        expect(() => loadConfig({ WEBHOOK_SECRET: placeholder }, worker)).toThrow(/WEBHOOK_SECRET: is a placeholder: its key \(the bytes after whsec_\) is one byte repeated/);
        const hooks = JSON.stringify({ push: { url: 'https://p.example', secret: placeholder } });
        expect(() => loadConfig({ WEBHOOK_SECRET: secret, MESSAGE_WEBHOOKS: hooks }, worker)).toThrow(/MESSAGE_WEBHOOKS\.push\.secret: is a placeholder/);
      }
      expect(() => loadConfig({ WEBHOOK_SECRET: 'secret-secret-secret' }, worker)).toThrow(/WEBHOOK_SECRET: is a placeholder/);
      // A random key passes, also one with a byte repeated here and there.
      expect(loadConfig({ WEBHOOK_SECRET: `whsec_${Buffer.from([0, 0, 0, ...Array.from({ length: 29 }, (_, i) => i)]).toString('base64')}` }, worker).webhookSecret).toMatch(/^whsec_/);
    });

    it('METRICS_TOKEN: unset by default; a guessable one or one that cannot travel in a header is refused, naming it', () => {
      expect(loadConfig({}).metricsToken).toBeUndefined();
      expect(loadConfig({ METRICS_TOKEN: secret }).metricsToken).toBe(secret);
      expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(/METRICS_TOKEN: is shorter than 16/);
      expect(() => loadConfig({ METRICS_TOKEN: 'changeme-changeme-changeme' })).toThrow(/METRICS_TOKEN: is a placeholder/);
      expect(() => loadConfig({ METRICS_TOKEN: 'two words in a long token' })).toThrow(/METRICS_TOKEN: must be printable ASCII without spaces/);
    });

    it('METRICS_TOKEN: a comma-separated list while rotating; an empty or bad entry stops the boot, named by position, never the token', () => {
      const next = 'scrape-new-8d1e6b0c93a7f254';
      expect(loadConfig({ METRICS_TOKEN: `${secret},${next}` }).metricsToken).toBe(`${secret},${next}`);
      expect(loadConfig({ METRICS_TOKEN: ` ${secret} , ${next} ` }).metricsToken).toBe(`${secret},${next}`);
      const problemsOf = (value: string) => {
        try {
          loadConfig({ METRICS_TOKEN: value });
        } catch (e) {
          return (e as ConfigError).problems;
        }
        return [];
      };
      expect(problemsOf(`${secret},`)).toEqual([expect.stringMatching(/^METRICS_TOKEN: entry 2: is empty; list tokens as token,token/)]);
      expect(problemsOf(`${secret},,${next}`)).toEqual([expect.stringMatching(/^METRICS_TOKEN: entry 2: is empty/)]);
      expect(problemsOf(',')).toEqual([expect.stringMatching(/^METRICS_TOKEN: entry 1: is empty/), expect.stringMatching(/^METRICS_TOKEN: entry 2: is empty/)]);
      expect(problemsOf(`${next},short-token`)).toEqual(['METRICS_TOKEN: entry 2: is shorter than 16 characters; generate a random one (e.g. `openssl rand -hex 24`)']);
      expect(problemsOf(`changeme-changeme-changeme,${next}`)).toEqual([expect.stringMatching(/^METRICS_TOKEN: entry 1: is a placeholder/)]);
      const nonAscii = problemsOf(`${next},${'x'.repeat(20)}é`);
      expect(nonAscii).toEqual([expect.stringMatching(/^METRICS_TOKEN: entry 2: must be printable ASCII/)]);
      expect(nonAscii.join()).not.toContain(next);
    });

    it('both parts in one process need both, and every problem is listed at once', () => {
      let problems: string[] = [];
      try {
        loadConfig({}, both);
      } catch (err) {
        problems = (err as ConfigError).problems;
      }
      expect(problems).toEqual([expect.stringMatching(/^API_KEYS: is required/), expect.stringMatching(/^WEBHOOK_SECRET: is required/)]);
      expect(loadConfig({ API_KEYS: `${key}:admin`, WEBHOOK_SECRET: secret }, both).apiKeys?.size).toBe(1);
    });

    it('a bad value elsewhere does not hide a bad secret, nor a bad Temporal address: one line for each', () => {
      const problemsOf = (env: Record<string, string>, parts = api) => {
        try {
          loadConfig(env, parts);
        } catch (err) {
          return (err as ConfigError).problems;
        }
        return [];
      };
      expect(problemsOf({ PORT: 'abc', API_KEYS: 'changeme:admin' })).toEqual([
        expect.stringMatching(/^PORT: expected a port number/),
        expect.stringMatching(/^API_KEYS: entry 1: the key is a placeholder/),
      ]);
      expect(problemsOf({ TEMPORAL_ADDRESS: 'http://x:99999', MAX_EVENT_PROPERTIES_BYTES: '10', API_KEYS: `${key}:admin` })).toEqual([
        expect.stringMatching(/^MAX_EVENT_PROPERTIES_BYTES: /),
        expect.stringMatching(/^TEMPORAL_ADDRESS: /),
      ]);
      // A secret whose own shape is wrong is said once, though both checks read it.
      expect(problemsOf({ API_KEYS: 'nocolon' })).toEqual([expect.stringMatching(/^API_KEYS: /)]);
    });

    it('names a bad key by its entry in API_KEYS as written, after a key listed twice too (review 62, finding 3)', () => {
      const problemsOf = (apiKeys: string) => {
        try {
          loadConfig({ API_KEYS: apiKeys, DATABASE_URL: 'postgres://kairos@db:5432/kairos', TEMPORAL_ADDRESS: 'temporal:7233' }, api);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          return (err as ConfigError).problems;
        }
        return [];
      };
      const good = '9f2c1e7b4a6d8e0f1a2b3c4d';
      expect(problemsOf(`${good}:admin,${good}:admin,short-key:ingest`)).toEqual([expect.stringMatching(/^API_KEYS: entry 3: the key is shorter than 16 characters/)]);
      // A bad key listed twice (same role) is named once, at its first entry.
      expect(problemsOf(`${good}:admin,short-key:ingest,${good}:admin,short-key:ingest`)).toEqual([expect.stringMatching(/^API_KEYS: entry 2: the key is shorter/)]);
      expect(problemsOf(`${good}:admin,${good}:admin,${key}:ingest,changeme:support`)).toEqual([expect.stringMatching(/^API_KEYS: entry 4: the key is a placeholder/)]);
      expect(loadConfig({ API_KEYS: `${good}:admin,${good}:admin,${key}:ingest` }, api).apiKeys).toEqual(new Map([[good, 'admin'], [key, 'ingest']]));
    });

    it('npm start (its own dev stack) still boots with nothing set, generating keys', () => {
      expect(loadConfig({}, { api: true, worker: true, embedded: true }).apiKeys).toBeUndefined();
    });
  });

  it('caps payload sizes at 256/256/512 KiB by default, settable between 1 KiB and 1 MiB', () => {
    expect(loadConfig({}).sizeCaps).toEqual({ eventPropertiesBytes: 262144, profileAttributesBytes: 262144, campaignBytes: 524288 });
    expect(loadConfig({ MAX_EVENT_PROPERTIES_BYTES: '65536' }).sizeCaps.eventPropertiesBytes).toBe(65536);
    expect(() => loadConfig({ MAX_CAMPAIGN_BYTES: String(2 * 1024 * 1024) })).toThrow(/MAX_CAMPAIGN_BYTES/);
    expect(() => loadConfig({ MAX_PROFILE_ATTRIBUTES_BYTES: '10' })).toThrow(/MAX_PROFILE_ATTRIBUTES_BYTES/);
  });

  it("refuses MAX_CAMPAIGN_BYTES and MAX_PROFILE_ATTRIBUTES_BYTES above 1.5 MiB together: a journey's start carries both in one Temporal payload", () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    const MiB = 1024 * 1024;
    expect(problemsOf({ MAX_CAMPAIGN_BYTES: String(MiB), MAX_PROFILE_ATTRIBUTES_BYTES: String(MiB) })).toEqual([
      "MAX_CAMPAIGN_BYTES: with MAX_PROFILE_ATTRIBUTES_BYTES, at most 1572864 bytes (1.5 MiB) together; got 1048576 + 1048576 = 2097152. A journey's start carries the campaign's plan and the user's profile in one Temporal payload (2 MiB at most): lower one or both",
    ]);
    // A byte past 1.5 MiB is refused; at 1.5 MiB exactly, and either at 1 MiB with the other's default, it boots.
    expect(problemsOf({ MAX_CAMPAIGN_BYTES: String(MiB), MAX_PROFILE_ATTRIBUTES_BYTES: String(MiB / 2 + 1) })).toEqual([expect.stringMatching(/^MAX_CAMPAIGN_BYTES: with MAX_PROFILE_ATTRIBUTES_BYTES/)]);
    expect(loadConfig({ MAX_CAMPAIGN_BYTES: String(MiB), MAX_PROFILE_ATTRIBUTES_BYTES: String(MiB / 2) }).sizeCaps).toEqual(expect.objectContaining({ campaignBytes: MiB, profileAttributesBytes: MiB / 2 }));
    expect(loadConfig({ MAX_CAMPAIGN_BYTES: String(MiB) }).sizeCaps.campaignBytes).toBe(MiB);
    expect(loadConfig({ MAX_PROFILE_ATTRIBUTES_BYTES: String(MiB) }).sizeCaps.profileAttributesBytes).toBe(MiB);
    // A cap already wrong on its own is said once, without the sum.
    expect(problemsOf({ MAX_CAMPAIGN_BYTES: String(2 * MiB), MAX_PROFILE_ATTRIBUTES_BYTES: String(MiB) })).toEqual([expect.stringMatching(/^MAX_CAMPAIGN_BYTES: /)]);
  });

  it('bounds MAX_BODY_BYTES to 64 KiB..256 MiB, and to no less than the largest size cap, naming both (review 59, finding 2)', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    expect(problemsOf({ MAX_BODY_BYTES: '100000' })).toEqual([expect.stringMatching(/^MAX_BODY_BYTES: 100000 is less than MAX_CAMPAIGN_BYTES \(524288\)/)]);
    expect(problemsOf({ MAX_BODY_BYTES: '200000', MAX_CAMPAIGN_BYTES: '131072', MAX_PROFILE_ATTRIBUTES_BYTES: '300000' })).toEqual([
      expect.stringMatching(/^MAX_BODY_BYTES: 200000 is less than MAX_PROFILE_ATTRIBUTES_BYTES \(300000\)/),
    ]);
    // Out of its own range: said once, by the range.
    expect(problemsOf({ MAX_BODY_BYTES: '1' })).toEqual([expect.stringMatching(/^MAX_BODY_BYTES: /)]);
    expect(problemsOf({ MAX_BODY_BYTES: String(2 ** 30) })).toEqual([expect.stringMatching(/^MAX_BODY_BYTES: /)]);
    expect(loadConfig({ MAX_BODY_BYTES: String(524288) }).maxBodyBytes).toBe(524288);
    expect(loadConfig({ MAX_BODY_BYTES: String(256 * 1024 * 1024) }).maxBodyBytes).toBe(256 * 1024 * 1024);
    expect(loadConfig({ MAX_BODY_BYTES: '200000', MAX_CAMPAIGN_BYTES: '131072', MAX_EVENT_PROPERTIES_BYTES: '131072', MAX_PROFILE_ATTRIBUTES_BYTES: '131072' }).maxBodyBytes).toBe(200000);
  });

  it('generates one distinct development key per role', () => {
    const keys = generateDevKeys();
    expect([...keys.values()].sort()).toEqual(['admin', 'ingest', 'operator', 'support']);
    expect(new Set(keys.keys()).size).toBe(4);
  });
});

/** Review 62, finding 5: an operator sets what the compose file's comments name, so each must be a variable something reads. */
describe("docker-compose.yml's comments", () => {
  it('name as settings only Kairos variables, Temporal envconfig ones, or variables compose itself reads', () => {
    const compose = readFileSync(path.resolve(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    const comments = compose
      .split('\n')
      .map((line) => /^\s*#(.*)$/.exec(line)?.[1])
      .filter((c): c is string => c !== undefined);
    const named = new Set(comments.flatMap((c) => [...c.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0])));
    // What compose itself substitutes (from .env): POSTGRES_PASSWORD, GRAFANA_ADMIN_PASSWORD, ALERTMANAGER_WEBHOOK_URL, ...
    const interpolated = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const read = (name: string) => name in ConfigSchema.shape || name.startsWith('TEMPORAL_') || interpolated.has(name);
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((name) => !read(name))).toEqual([]);
  });
});
