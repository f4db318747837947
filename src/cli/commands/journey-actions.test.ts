import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, withStubServer, type StubAnswer, type StubRequest } from '../test-support';

const RUN = '0b5c3d2e-8f41-4a6b-9c7d-1e2f3a4b5c6d';
const NOW_RUN = '7d6c5b4a-3f2e-4d1c-8b9a-0f1e2d3c4b5a';
const SINCE = '2026-11-30T06:45:37.711Z';

async function journeys(args: string[], answer: (req: StubRequest) => StubAnswer) {
  return withStubServer(answer, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'journeys', ...args])), requests }));
}

const decided = () => ({ status: 200, body: { workflowId: 'journey:c:u', stepId: 'notify-crm', pathId: 'p1' } });

describe('journeys retry, skip and exit: the run and the hold that were seen (--run-id, --since)', () => {
  it.each([['retry'], ['skip']])('%s sends them in the body, beside the step', async (decision) => {
    const res = await journeys([decision, 'c', 'u', '--step', 'notify-crm', '--run-id', RUN, '--since', SINCE], decided);
    expect(res.code).toBe(ExitCode.ok);
    expect(res.requests.map((r) => [r.path, JSON.parse(r.body) as unknown])).toEqual([[`/v1/journeys/c/u/${decision}`, { stepId: 'notify-crm', runId: RUN, since: SINCE }]]);
  });

  it('exit sends --run-id', async () => {
    const res = await journeys(['exit', 'c', 'u', '--run-id', RUN, '--reason', 'fraud'], () => ({ status: 202, body: { workflowId: 'journey:c:u', exit: 'requested', reason: 'fraud' } }));
    expect(res.code).toBe(ExitCode.ok);
    expect(JSON.parse(res.requests[0].body)).toEqual({ reason: 'fraud', runId: RUN });
  });

  it('refuses a --run-id or --since Kairos would not take before anything is sent (exit 2)', async () => {
    for (const [flags, said] of [
      [['retry', 'c', 'u', '--run-id', 'run-1'], "error: option '--run-id <id>' argument 'run-1' is invalid. Expected the runId of a journey as Kairos gave it (a UUID: journeys show prints it)."],
      [['skip', 'c', 'u', '--since', '2026-11-30 06:45'], "error: option '--since <time>' argument '2026-11-30 06:45' is invalid. Expected the since of the held step as journeys show prints it, an ISO 8601 time with its zone (2026-11-30T06:45:37.711Z)."],
      [['exit', 'c', 'u', '--run-id', ''], "error: option '--run-id <id>' argument '' is invalid."],
    ] as const) {
      const res = await journeys([...flags], decided);
      expect({ flags, code: res.code, requests: res.requests.length, err: res.err.split('\n')[0] }).toEqual({ flags, code: ExitCode.usage, requests: 0, err: expect.stringContaining(said) as string });
    }
  });

  it('a run that ended while another runs (409 run_changed): nothing done, and where to read the journey again (exit 1)', async () => {
    const message = `Run ${RUN} of journey:c:u is not running any more: the journey runs on in run ${NOW_RUN} (a new entry, or the same journey continued as new). Nothing was done; read the journey again and decide on what it shows now.`;
    for (const args of [
      ['retry', 'c', 'u', '--run-id', RUN],
      ['exit', 'c', 'u', '--run-id', RUN],
    ]) {
      const res = await journeys(args, () => ({ status: 409, body: kairosError('run_changed', message) }));
      expect({ args, code: res.code, out: res.out, err: res.err }).toEqual({
        args,
        code: ExitCode.failure,
        out: '',
        err: `kairos: ${message} \`kairos journeys show c u\` shows it: its run (for --run-id) and since when each step is held (for --since)\n`,
      });
    }
  });

  it('a step held again since the hold that was seen (409 not_held): nothing decided, said the same way (exit 1)', async () => {
    const message = `notify-crm on path p1 is held since 2026-11-30T07:00:00.000Z, not since ${SINCE}: it was held again after the hold that was seen; read the journey again`;
    const res = await journeys(['skip', 'c', 'u', '--step', 'notify-crm', '--since', SINCE], () => ({ status: 409, body: kairosError('not_held', message) }));
    expect({ code: res.code, err: res.err }).toEqual({
      code: ExitCode.failure,
      err: `kairos: ${message}. \`kairos journeys show c u\` shows it: its run (for --run-id) and since when each step is held (for --since)\n`,
    });
  });

  it('a journey not running in the run named is said with the run (exit 1)', async () => {
    const res = await journeys(['exit', 'c', 'u', '--run-id', RUN], () => ({ status: 404, body: kairosError('not_found', 'No running journey journey:c:u.') }));
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.failure, err: `kairos: no running journey of u in c in run ${RUN}\n` });
  });

  it('the command that sends a decision again carries the run and the hold too', async () => {
    const pending = kairosError('decision_pending', 'The skip was handed to journey:c:u, which did not answer within 10 s.');
    const res = await journeys(['skip', 'c', 'u', '--step', 's', '--run-id', RUN, '--since', SINCE], () => ({ status: 503, body: pending }));
    const key = String(res.requests[0].headers['idempotency-key']);
    expect({ code: res.code, err: res.err }).toEqual({
      code: ExitCode.unreachable,
      err: `kairos: The skip was handed to journey:c:u, which did not answer within 10 s.; to send the same skip again, carried out once whatever became of this one: kairos journeys skip c u --step s --run-id ${RUN} --since ${SINCE} --idempotency-key ${key}\n`,
    });
  });
});
