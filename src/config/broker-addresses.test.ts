import { natsServerProblem } from './broker-addresses';
import { loadConfig } from './config';
import { configProblems } from './config.test-support';

const problemsOf = configProblems;

describe('NATS_SERVERS (review-52, finding 4; a login in an entry: NATS auth)', () => {
  it('refuses at boot an entry no client could dial, naming the variable and the entry', () => {
    // A `;` for a `,`: nats.js keeps what follows the last `://`, so this was silently the one server b:4222.
    expect(problemsOf({ NATS_SERVERS: 'nats://a:4222;nats://b:4222' })).toEqual([
      'NATS_SERVERS: entry 1: is not [nats:// or tls://]host[:port] (servers are separated by commas)',
    ]);
    expect(problemsOf({ NATS_SERVERS: '127.0.0.1:99999' })).toEqual(['NATS_SERVERS: entry 1: has no valid port (1-65535)']);
    expect(problemsOf({ NATS_SERVERS: 'nats://a:4222, nats://b:0' })).toEqual(['NATS_SERVERS: entry 2: has no valid port (1-65535)']);
    for (const bad of ['nats://', 'a:4222 b:4222', 'nats://a:4222/x', 'http://a:4222', 'a:b:c:4222x']) expect(problemsOf({ NATS_SERVERS: bad })).toEqual([expect.stringMatching(/^NATS_SERVERS: entry 1: is not /)]);
  });

  it('never writes an entry\'s password into the line', () => {
    const [line] = problemsOf({ NATS_SERVERS: 'nats://kairos:s3cret@nats.internal:99999' });
    expect(line).toMatch(/^NATS_SERVERS: entry 1: carries a login/);
    expect(line).not.toMatch(/kairos|s3cret/);
  });

  it('never writes any piece of a password holding a `,` (the list is split at commas first) into the lines (review-55 diff b, finding 2)', () => {
    for (const servers of ['nats://kairos:Ab9x,Qz7@nats:4222', 'nats://kairos:Ab9x,Qz!7,Rt5@nats:4222', 'nats://kairos:a@Wx9,Qz7@nats:4222', 'nats-a:4222,nats://kairos:Ab9x:,Qz7@nats:4222']) {
      const lines = problemsOf({ NATS_SERVERS: servers });
      expect({ servers, login: lines.some((l) => /^NATS_SERVERS: entry \d: carries a login/.test(l)) }).toEqual({ servers, login: true });
      for (const secret of ['kairos', 'Ab9x', 'Qz7', 'Qz!7', 'Rt5', 'Wx9']) expect({ servers, secret, shown: lines.join('\n').includes(secret) }).toEqual({ servers, secret, shown: false });
    }
  });

  it('never writes a password holding `/`, `?` or `#` (an unencoded base64 one) into the line: all up to the last `@` is the login (review-55, finding 1)', () => {
    const login = /^NATS_SERVERS: entry 1: carries a login/;
    for (const entry of ['nats://kairos:Zx9/Qw+r3T@nats:4222', 'nats://kairos:s3cr#t@nats:4222', 'nats://kairos:ab?cd@nats:4222', 'tok/en@nats:4222']) {
      const lines = problemsOf({ NATS_SERVERS: entry });
      expect({ entry, lines }).toEqual({ entry, lines: [expect.stringMatching(login)] });
      for (const secret of ['Zx9', 'Qw+r3T', 's3cr', 'ab?cd', 'tok/en']) expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('refuses a login in an entry, which nats.js never sends (it keeps the host and port), naming its position and NATS_USER/NATS_PASSWORD, never the password', () => {
    const login = 'carries a login (user:password@ or token@), which the NATS client never sends (it dials the host and port only), and a server list is written to logs: set NATS_USER and NATS_PASSWORD (or NATS_TOKEN, NATS_CREDS_FILE) instead, and the entry without it';
    expect(problemsOf({ NATS_SERVERS: 'nats-a:4222, nats://kairos:s3cret@nats-b:4222' })).toEqual([`NATS_SERVERS: entry 2: ${login}`]);
    expect(problemsOf({ NATS_SERVERS: 'tok3n@[fd00::1]:4222' })).toEqual([`NATS_SERVERS: entry 1: ${login}`]);
  });

  it('refuses a websocket entry (ws://, wss://) at boot, naming the variable and its position: the NATS client dials TCP, and a websocket listener never answers it (review-60-sources, finding 4)', () => {
    const websocket =
      "is a websocket URL (ws:// or wss://); Kairos's NATS client connects over TCP: give the server's client port (4222 by default) as host[:port], nats:// or tls://";
    expect(problemsOf({ NATS_SERVERS: 'wss://nats.example:443' })).toEqual([`NATS_SERVERS: entry 1: ${websocket}`]);
    expect(problemsOf({ NATS_SERVERS: 'nats://a:4222, ws://nats:8080' })).toEqual([`NATS_SERVERS: entry 2: ${websocket}`]);
    for (const entry of ['WSS://nats.example', 'ws://[::1]:8080/', 'wss://nats.example:443/']) expect({ entry, problem: natsServerProblem(entry) }).toEqual({ entry, problem: expect.stringContaining('connects over TCP') });
  });

  it('takes what works today: schemes, bare host:port, IPv6, several servers', () => {
    const ok = ['127.0.0.1:4222', 'nats', 'nats.internal', 'nats://nats.internal:4222/', 'tls://nats.internal:4222', '[::1]:4222', '::1', 'nats://[fd00::1]:4222'];
    for (const entry of ok) expect({ entry, problems: problemsOf({ NATS_SERVERS: entry }) }).toEqual({ entry, problems: [] });
    expect(loadConfig({ NATS_SERVERS: ' nats://a:4222 , tls://b:4222,,c:4222 ' }).brokers.natsServers).toEqual(['nats://a:4222', 'tls://b:4222', 'c:4222']);
    expect(loadConfig({}).brokers.natsServers).toEqual(['127.0.0.1:4222']);
  });
});

describe('RABBITMQ_URL (review-52, finding 4)', () => {
  it('refuses at boot a host or port no client could dial, naming the variable, without the password', () => {
    expect(problemsOf({ RABBITMQ_URL: 'amqp://h:99999' })).toEqual(['RABBITMQ_URL: "amqp://h:99999" has no valid port (1-65535)']);
    expect(problemsOf({ RABBITMQ_URL: 'amqp://guest:guest@rabbit:99999/shop' })).toEqual(['RABBITMQ_URL: "amqp://***@rabbit:99999/shop" has no valid port (1-65535)']);
    expect(problemsOf({ RABBITMQ_URL: 'amqp://' })).toEqual(['RABBITMQ_URL: "amqp://" is not amqp[s]://[user:password@]host[:port][/vhost][?options]']);
    expect(problemsOf({ RABBITMQ_URL: 'amqp://a:5672,b:5672' })).toEqual([expect.stringMatching(/^RABBITMQ_URL: "amqp:\/\/a:5672,b:5672" is not amqp/)]);
    // The scheme keeps its own check.
    expect(problemsOf({ RABBITMQ_URL: 'http://rabbit:5672' })).toEqual(['RABBITMQ_URL: an amqp:// or amqps:// URL']);
  });

  const ambiguousAt =
    'RABBITMQ_URL: an `@` comes after a `/`, `?` or `#`: write an `@` in the vhost or options as %40 (only the login, before the host, takes a bare `@`), ' +
    'and percent-encode a `/`, `?` or `#` in the password (`/` is %2F, `?` is %3F, `#` is %23). The URL is not shown, as it may hold a password';

  it('never writes a password holding `/`, `?` or `#` into the line, and says to percent-encode it (review-55, finding 1)', () => {
    for (const url of [
      'amqp://kairos:Zx9/Qw+r3T@rabbitmq:5672',
      'amqp://kairos:s3cr#t@rabbitmq:5672',
      'amqp://kairos:ab?cd@rabbitmq:5672/vh',
      // Would dial host `kairos`, port 1234, vhost `x@rabbit`: refused too.
      'amqps://kairos:1234/x@rabbit',
    ]) {
      const lines = problemsOf({ RABBITMQ_URL: url });
      expect({ url, lines }).toEqual({ url, lines: [ambiguousAt] });
      for (const secret of ['Zx9', 'Qw+r3T', 's3cr', 'ab?cd', 'kairos']) expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('refuses an `@` in the vhost or options as what it may be, an `@` outside the login to write as %40, without blaming a password (review-55 diff b, finding 5)', () => {
    for (const url of ['amqp://rabbit:5672/?x=a@b', 'amqp://kairos:pw@rabbit/team@eu', 'amqp://rabbit/#a@b']) {
      const lines = problemsOf({ RABBITMQ_URL: url });
      expect({ url, lines }).toEqual({ url, lines: [ambiguousAt] });
      expect(lines.join('\n')).not.toMatch(/its user or password|"amqp:\/\/\*\*\*@/);
    }
    // Written with %40, they boot.
    for (const url of ['amqp://rabbit:5672/?x=a%40b', 'amqp://kairos:pw@rabbit/team%40eu']) expect({ url, problems: problemsOf({ RABBITMQ_URL: url }) }).toEqual({ url, problems: [] });
  });

  it('takes what works today: amqps, credentials, vhosts in the path, options in the query, IPv6', () => {
    const ok = [
      'amqp://guest:guest@127.0.0.1:5672',
      'amqp://rabbit',
      'amqps://kairos:p%40ss@rabbit.internal:5671/shop?heartbeat=30&frame_max=131072',
      'amqp://kairos:pw@rabbit/%2F',
      'amqp://rabbit:5672/',
      'amqp://[::1]:5672/vhost',
      'amqp://kairos:Zx9%2FQw+r3T@rabbit:5672',
      // A bare `@` in a password: everything up to the last `@` is the login, as amqplib reads it.
      'amqp://kairos:p@ss@rabbit:5672/shop',
    ];
    for (const url of ok) expect({ url, problems: problemsOf({ RABBITMQ_URL: url }) }).toEqual({ url, problems: [] });
    expect(loadConfig({ RABBITMQ_URL: ok[2] }).brokers.rabbitmqUrl).toBe(ok[2]);
  });
});
