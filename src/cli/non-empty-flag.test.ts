import { ExitCode } from './exit-codes';
import { runKairos, withStubServer } from './test-support';

describe('an empty value for a flag that names something (review 44, finding 5)', () => {
  // One answer that does for a skip, a template and its render: had anything been sent, those commands would have succeeded.
  const answering = () => ({
    status: 200,
    body: { workflowId: 'journey:c:u', stepId: 'held-step', pathId: 'p1', decision: 'skip', key: 't', title: 'T', description: '', parameters: [], campaign: { key: 't', name: 'T' } },
  });

  it.each([
    [['journeys', 'skip', 'c', 'u', '--step', ''], '--step <id>'],
    [['journeys', 'retry', 'c', 'u', '--step', 'notify', '--path', ' '], '--path <id>'],
    [['templates', 'render', 'sign-in-streak', '--key', ''], '--key <key>'],
    [['templates', 'render', 'sign-in-streak', '--name', ''], '--name <name>'],
    [['templates', 'render', 'sign-in-streak', '-o', ''], '-o, --out <file>'],
    [['campaigns', 'export', 'spring', '--output', ''], '-o, --output <file>'],
    // review 47: an unset $ORDER_ID was sent, and refused by Kairos as a failure (exit 1).
    [['events', 'send', '--type', 't', '--user', 'u', '--id', ''], '--id <id>'],
    [['pools', 'top-up', 'p', '--budget', '5', '--id', ' '], '--id <id>'],
  ])('%j is a usage error naming the flag, and nothing is sent', async (argv, flag) => {
    await withStubServer(answering, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', ...argv]);
      expect({ code: res.code, requests: requests.length, err: res.err.split('\n')[0] }).toEqual({
        code: ExitCode.usage,
        requests: 0,
        err: `error: option '${flag}' argument '${argv[argv.length - 1]}' is invalid. it must not be empty (an unset shell variable?): give a value, or leave the flag out.`,
      });
    });
  });

  it('a --step that is given is still sent as the held step to decide', async () => {
    await withStubServer(answering, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'journeys', 'skip', 'c', 'u', '--step', 'notify']);
      expect({ code: res.code, body: JSON.parse(requests[0].body) as unknown }).toEqual({ code: ExitCode.ok, body: { stepId: 'notify' } });
    });
  });
});
