import { loadConfig } from './config';
import { configProblems } from './config.test-support';

const problemsOf = configProblems;

describe('NATS_SERVERS (review-52, finding 4; a login in an entry: NATS auth)', () => {
  it('refuses at boot an entry no client could dial, naming the variable and the entry', () => {
    // A `;` for a `,`: nats.js keeps what follows the last `://`, so this was silently the one server b:4222.
    expect(problemsOf({ NATS_SERVERS: 'nats://a:4222;nats://b:4222' })).toEqual([
      'NATS_SERVERS: entry 1: "nats://a:4222;nats://b:4222" is not [nats://, tls://, ws:// or wss://]host[:port] (servers are separated by commas)',
    ]);
    expect(problemsOf({ NATS_SERVERS: '127.0.0.1:99999' })).toEqual(['NATS_SERVERS: entry 1: "127.0.0.1:99999" has no valid port (1-65535)']);
    expect(problemsOf({ NATS_SERVERS: 'nats://a:4222, nats://b:0' })).toEqual(['NATS_SERVERS: entry 2: "nats://b:0" has no valid port (1-65535)']);
    for (const bad of ['nats://', 'a:4222 b:4222', 'nats://a:4222/x', 'http://a:4222', 'a:b:c:4222x']) expect(problemsOf({ NATS_SERVERS: bad })).toEqual([expect.stringMatching(/^NATS_SERVERS: entry 1: .* is not /)]);
  });

  it('never writes an entry\'s password into the line', () => {
    const [line] = problemsOf({ NATS_SERVERS: 'nats://kairos:s3cret@nats.internal:99999' });
    expect(line).toBe('NATS_SERVERS: entry 1: "nats://***@nats.internal:99999" has no valid port (1-65535)');
  });

  it('never writes a password holding `/`, `?` or `#` (an unencoded base64 one) into the line: all up to the last `@` is the login (review-55, finding 1)', () => {
    const login = /^NATS_SERVERS: entry 1: "(nats:\/\/)?\*\*\*@nats:4222" carries a login/;
    for (const entry of ['nats://kairos:Zx9/Qw+r3T@nats:4222', 'nats://kairos:s3cr#t@nats:4222', 'nats://kairos:ab?cd@nats:4222', 'tok/en@nats:4222']) {
      const lines = problemsOf({ NATS_SERVERS: entry });
      expect({ entry, lines }).toEqual({ entry, lines: [expect.stringMatching(login)] });
      for (const secret of ['Zx9', 'Qw+r3T', 's3cr', 'ab?cd', 'tok/en']) expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('refuses a login in an entry, which nats.js never sends (it keeps the host and port), naming its position and NATS_USER/NATS_PASSWORD, never the password', () => {
    const login = 'carries a login (user:password@ or token@), which the NATS client never sends (it dials the host and port only), and a server list is written to logs: set NATS_USER and NATS_PASSWORD (or NATS_TOKEN, NATS_CREDS_FILE) instead, and the entry without it';
    expect(problemsOf({ NATS_SERVERS: 'nats-a:4222, nats://kairos:s3cret@nats-b:4222' })).toEqual([`NATS_SERVERS: entry 2: "nats://***@nats-b:4222" ${login}`]);
    expect(problemsOf({ NATS_SERVERS: 'tok3n@[fd00::1]:4222' })).toEqual([`NATS_SERVERS: entry 1: "***@[fd00::1]:4222" ${login}`]);
  });

  it('takes what works today: schemes, bare host:port, IPv6, several servers', () => {
    const ok = ['127.0.0.1:4222', 'nats', 'nats.internal', 'nats://nats.internal:4222/', 'tls://nats.internal:4222', 'wss://nats.example:443', '[::1]:4222', '::1', 'nats://[fd00::1]:4222'];
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

  it('never writes a password holding `/`, `?` or `#` into the line, and says to percent-encode it (review-55, finding 1)', () => {
    for (const [url, host] of [
      ['amqp://kairos:Zx9/Qw+r3T@rabbitmq:5672', 'rabbitmq:5672'],
      ['amqp://kairos:s3cr#t@rabbitmq:5672', 'rabbitmq:5672'],
      ['amqp://kairos:ab?cd@rabbitmq:5672/vh', 'rabbitmq:5672/vh'],
      // Would dial host `kairos`, port 1234, vhost `x@rabbit`: refused too.
      ['amqps://kairos:1234/x@rabbit', 'rabbit'],
    ]) {
      const lines = problemsOf({ RABBITMQ_URL: url });
      expect({ url, lines }).toEqual({ url, lines: [expect.stringMatching(new RegExp(`^RABBITMQ_URL: "amqps?://\\*\\*\\*@${host}": .*percent-encode the password \\(\`/\` is %2F`))] });
      for (const secret of ['Zx9', 'Qw+r3T', 's3cr', 'ab?cd', 'kairos']) expect(lines.join('\n')).not.toContain(secret);
    }
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
    ];
    for (const url of ok) expect({ url, problems: problemsOf({ RABBITMQ_URL: url }) }).toEqual({ url, problems: [] });
    expect(loadConfig({ RABBITMQ_URL: ok[2] }).brokers.rabbitmqUrl).toBe(ok[2]);
  });
});
