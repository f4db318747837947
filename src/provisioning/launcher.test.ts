import { Connection } from '@temporalio/client';
import { ConfigError } from '../config/config';
import { ensureSearchAttributes } from './launcher';

jest.mock('@temporalio/client', () => ({ Connection: { connect: jest.fn() } }));

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** A connection whose operator service answers as given; records what was added. Its frontend knows them unless `count` says otherwise. */
function fakeConnection(operator: { list: () => Promise<unknown>; add?: (request: unknown) => Promise<unknown>; count?: () => Promise<unknown> }) {
  const added: unknown[] = [];
  const connection = {
    operatorService: {
      listSearchAttributes: jest.fn(operator.list),
      addSearchAttributes: jest.fn(async (request: unknown) => {
        added.push(request);
        return operator.add ? operator.add(request) : {};
      }),
    },
    workflowService: { countWorkflowExecutions: jest.fn(operator.count ?? (async () => ({ count: 0 }))) },
    close: jest.fn(async () => undefined),
  };
  jest.mocked(Connection.connect).mockResolvedValue(connection as unknown as Connection);
  return { connection, added };
}

async function refusal(run: Promise<void>): Promise<ConfigError> {
  const err: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('ensureSearchAttributes', () => {
  it('registers only the missing attributes, and takes ALREADY_EXISTS (another process was first) as done', async () => {
    const { added, connection } = fakeConnection({
      list: async () => ({ customAttributes: { CampaignKey: 2, UserId: 2 } }),
      add: async () => {
        throw grpcError(6, '6 ALREADY_EXISTS: Search attribute JourneyState already exists.');
      },
    });
    await ensureSearchAttributes('temporal:7233', 'ns');
    expect(added).toEqual([{ namespace: 'ns', searchAttributes: { JourneyState: 2, CampaignVersion: 3 } }]);
    expect(connection.close).toHaveBeenCalled();
  });

  it.each([
    [7, '7 PERMISSION_DENIED: Request unauthorized.'],
    [12, '12 UNIMPLEMENTED: unknown method AddSearchAttributes'],
  ])('turns a refused registration (gRPC %i, as Temporal Cloud answers) into a configuration error naming what to create and how', async (code, message) => {
    const { connection } = fakeConnection({
      list: async () => ({ customAttributes: { CampaignKey: 2 } }),
      add: async () => {
        throw grpcError(code, message);
      },
    });
    const err = await refusal(ensureSearchAttributes('ns.acct.tmprl.cloud:7233', 'ns.acct'));
    expect(err.problems).toHaveLength(1);
    const [line] = err.problems;
    expect(line).toMatch(/^TEMPORAL_NAMESPACE: Temporal at ns\.acct\.tmprl\.cloud:7233 refused to register Kairos's search attributes \(/);
    expect(line).toContain(message);
    // The ones still missing, with their types, in that namespace; CampaignKey exists already.
    expect(line).toContain('create UserId (Keyword), JourneyState (Keyword) and CampaignVersion (Int) in namespace "ns.acct"');
    expect(line).not.toContain('CampaignKey');
    expect(line).toContain(
      'tcld namespace search-attributes add --namespace ns.acct --search-attribute "UserId=Keyword" --search-attribute "JourneyState=Keyword" --search-attribute "CampaignVersion=Int"',
    );
    expect(line).toContain('the Cloud UI');
    expect(connection.close).toHaveBeenCalled();
  });

  it('turns a refused listing into a configuration error naming the namespace and every attribute Kairos needs', async () => {
    const { added } = fakeConnection({
      list: async () => {
        throw grpcError(7, '7 PERMISSION_DENIED: Request unauthorized.');
      },
    });
    const err = await refusal(ensureSearchAttributes('temporal:7233', 'kairos'));
    expect(err.problems).toEqual([
      expect.stringMatching(/^TEMPORAL_NAMESPACE: Temporal at temporal:7233 refused to list the search attributes of namespace "kairos" \(7 PERMISSION_DENIED: Request unauthorized\.\)/),
    ]);
    expect(err.problems[0]).toContain('CampaignKey (Keyword), UserId (Keyword), JourneyState (Keyword) and CampaignVersion (Int) exist there');
    expect(err.problems[0]).toContain('tcld namespace search-attributes add --namespace kairos');
    expect(added).toEqual([]);
  });

  it('passes any other refusal on as it is', async () => {
    const boom = grpcError(13, '13 INTERNAL: boom');
    fakeConnection({
      list: async () => ({ customAttributes: {} }),
      add: async () => {
        throw boom;
      },
    });
    await expect(ensureSearchAttributes('temporal:7233', 'ns')).rejects.toBe(boom);
  });

  // A SQL-visibility server (compose's) knows attributes just added only at its namespace registry's next refresh
  // (about 10 s): until then every journey start carrying them is refused (review-59-deploy, finding 4).
  const unknownYet = () => grpcError(3, "3 INVALID_ARGUMENT: invalid query: invalid expression: column name 'CampaignKey' is not a valid search attribute");
  const fast = { everyMs: 1, withinMs: 5_000 };

  it('returns only once the frontend knows the attributes it added: the gate opens when journeys can start', async () => {
    let refusals = 2;
    const { connection } = fakeConnection({
      list: async () => ({ customAttributes: {} }),
      count: async () => {
        if (refusals-- > 0) throw unknownYet();
        return { count: 0 };
      },
    });
    await ensureSearchAttributes('temporal:7233', 'ns', {}, fast);
    expect(connection.workflowService.countWorkflowExecutions).toHaveBeenCalledTimes(3);
    const [{ namespace, query }] = connection.workflowService.countWorkflowExecutions.mock.calls[0] as unknown as [{ namespace: string; query: string }];
    expect({ namespace, query }).toEqual({ namespace: 'ns', query: "CampaignKey = 'kairos-probe' AND UserId = 'kairos-probe' AND JourneyState = 'kairos-probe' AND CampaignVersion = 0" });
    expect(connection.close).toHaveBeenCalled();
  });

  it('waits as well when the listing has them all (another process added them a moment ago)', async () => {
    let refusals = 1;
    const { connection, added } = fakeConnection({
      list: async () => ({ customAttributes: { CampaignKey: 2, UserId: 2, JourneyState: 2, CampaignVersion: 3 } }),
      count: async () => {
        if (refusals-- > 0) throw unknownYet();
        return { count: 0 };
      },
    });
    await ensureSearchAttributes('temporal:7233', 'ns', {}, fast);
    expect(added).toEqual([]);
    expect(connection.workflowService.countWorkflowExecutions).toHaveBeenCalledTimes(2);
  });

  it('stops waiting on any other answer, and after withinMs: the outbox retries a start refused meanwhile', async () => {
    const other = fakeConnection({ list: async () => ({ customAttributes: {} }), count: async () => Promise.reject(grpcError(12, '12 UNIMPLEMENTED: not supported')) });
    await ensureSearchAttributes('temporal:7233', 'ns', {}, fast);
    expect(other.connection.workflowService.countWorkflowExecutions).toHaveBeenCalledTimes(1);

    const never = fakeConnection({ list: async () => ({ customAttributes: {} }), count: async () => Promise.reject(unknownYet()) });
    await ensureSearchAttributes('temporal:7233', 'ns', {}, { everyMs: 5, withinMs: 30 });
    expect(never.connection.workflowService.countWorkflowExecutions.mock.calls.length).toBeGreaterThan(1);
    expect(never.connection.workflowService.countWorkflowExecutions.mock.calls.length).toBeLessThanOrEqual(7);
    expect(never.connection.close).toHaveBeenCalled();
  });
});
